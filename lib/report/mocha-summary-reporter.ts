// Mocha reporter for the project's own tests: mocha's spec output, then the wall time of each test
// file (so a CI log shows where its budget goes) and a plain `N passed, N failed` closing line that
// CI systems recognise. When MIP_VERIFY_TEST_TALLY names a file, the counts are also appended to it,
// so a script running several test commands can add them up.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import Mocha from 'mocha';

const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

export default class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    /** Wall time per test file, in the order the files ran. */
    const files = new Map<string, number>();
    const started = new Map<Mocha.Suite, number>();
    runner.on(EVENT_TEST_PASS, () => (passed += 1));
    runner.on(EVENT_TEST_FAIL, () => (failed += 1));
    runner.on(EVENT_TEST_PENDING, () => (skipped += 1));
    // A file's top-level suites are children of the root suite; their wall times add up per file.
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (suite.parent?.root) started.set(suite, performance.now());
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      const begun = started.get(suite);
      if (begun === undefined || !suite.file) return;
      const file = relative(process.cwd(), suite.file);
      files.set(file, (files.get(file) ?? 0) + performance.now() - begun);
    });
    runner.once(EVENT_RUN_END, () => {
      const slow = [...files].filter(([, ms]) => ms >= 1000);
      if (slow.length > 0) {
        process.stdout.write('\nTime per test file (1 s or more):\n');
        for (const [file, ms] of slow) process.stdout.write(`  ${file}: ${formatSeconds(ms)}\n`);
      }
      const tail = skipped > 0 ? ` (${skipped} skipped)` : '';
      process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
      const tally = process.env.MIP_VERIFY_TEST_TALLY;
      if (tally) appendFileSync(tally, `${passed} ${failed}\n`);
    });
  }
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}
