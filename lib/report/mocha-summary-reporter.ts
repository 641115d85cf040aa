// Mocha reporter for the project's own tests: mocha's spec output, then a plain
// `N passed, N failed` closing line that CI systems recognise. When MIP_VERIFY_TEST_TALLY names a
// file, the counts are also appended to it, so a script running several test commands can add them up.
import { appendFileSync } from 'node:fs';
import Mocha from 'mocha';

const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

export default class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(EVENT_TEST_PASS, () => (passed += 1));
    runner.on(EVENT_TEST_FAIL, () => (failed += 1));
    runner.on(EVENT_TEST_PENDING, () => (skipped += 1));
    runner.once(EVENT_RUN_END, () => {
      const tail = skipped > 0 ? ` (${skipped} skipped)` : '';
      process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
      const tally = process.env.MIP_VERIFY_TEST_TALLY;
      if (tally) appendFileSync(tally, `${passed} ${failed}\n`);
    });
  }
}
