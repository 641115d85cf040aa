// Proves the layering rules of eslint.config.mjs bite: code is linted as if it were the file at an
// existing path, so each case gets the configuration of that file's group.
import { expect } from 'chai';
import { ESLint, type Linter } from 'eslint';
import { projectRoot } from './paths.ts';

const RULE = 'no-restricted-imports';

// Import layering needs no type information: the parser runs without the TypeScript project (seconds
// faster) and only the layering rule runs. The rule's options come unchanged from eslint.config.mjs.
const eslint = new ESLint({
  cwd: projectRoot,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => ruleId === RULE,
});

/** The layering messages for `code` placed at `filePath` (relative to the project root). */
async function layering(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  const fatal = messages.find((m) => m.fatal === true);
  if (fatal) throw new Error(`${filePath} did not parse: ${fatal.message}`);
  return messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

/** The single no-restricted-imports entry that applies to `filePath`, as the rule receives it. */
async function patternsFor(filePath: string): Promise<string[]> {
  const config = (await eslint.calculateConfigForFile(filePath)) as Linter.Config;
  const entry = config.rules?.[RULE];
  if (!Array.isArray(entry)) return [];
  const options = entry.slice(1) as { patterns?: { group: string[] }[] }[];
  return options.flatMap((o) => o.patterns ?? []).flatMap((p) => p.group);
}

describe('lint layering (eslint.config.mjs)', () => {
  it('refuses the Kubernetes client, programs, cluster and stack code in lib/report', async () => {
    const client = await layering(
      'lib/report/bus.ts',
      "import { KubeConfig } from '@kubernetes/client-node';\nexport const k = KubeConfig;\n",
    );
    expect(client).to.have.length(1);
    expect(client[0]).to.include('Layering: reports are pure functions of the event stream');
    for (const source of ['node:child_process', '../../exec.ts', '../../k8s/client.ts', '../../cluster/types.ts', '../../stack/helm.ts']) {
      const found = await layering('lib/report/render/html.ts', `import * as m from '${source}';\nexport const x = m;\n`);
      expect(found, source).to.have.length(1);
    }
  });

  it('refuses the Kubernetes client, p-retry and child processes in suites', async () => {
    for (const source of ['node:child_process', '@kubernetes/client-node', 'p-retry']) {
      const found = await layering('suites/smoke/smoke.spec.ts', `import * as m from '${source}';\nexport const x = m;\n`);
      expect(found, source).to.have.length(1);
      expect(found[0]).to.include('Layering: suites use the harness facade');
    }
  });

  it('refuses a lib module outside the suites allowlist', async () => {
    const spec = await layering('suites/smoke/smoke.spec.ts', "import { runTool } from '../../lib/exec.ts';\nexport const r = runTool;\n");
    expect(spec).to.have.length(1);
    expect(spec[0]).to.include('SUITE_LIB_ALLOWLIST');
    const helper = await layering(
      'suites/shared/mip-stack.ts',
      "import { watchPods } from '../../lib/k8s/watch.ts';\nexport const w = watchPods;\n",
    );
    expect(helper).to.have.length(1);
  });

  it('refuses suites in lib, and p-retry outside lib/wait.ts', async () => {
    const suites = await layering('lib/exec.ts', "import { x } from '../suites/shared/mip-stack.ts';\nexport const y = x;\n");
    expect(suites).to.have.length(1);
    expect(suites[0]).to.include('Layering: lib never imports suites');
    const retry = await layering('lib/k8s/watch.ts', "import pRetry from 'p-retry';\nexport const r = pRetry;\n");
    expect(retry[0]).to.include('Layering: only lib/wait.ts waits and retries');
    expect(await layering('lib/wait.ts', "import pRetry from 'p-retry';\nexport const r = pRetry;\n")).to.deep.equal([]);
  });

  it('keeps checks out of lib: no chai and no suite facade there, the runner and the tests aside', async () => {
    for (const file of ['lib/recovery/observer.ts', 'lib/report/render/html.ts']) {
      const chai = await layering(file, "import { expect } from 'chai';\nexport const e = expect;\n");
      expect(chai, file).to.have.length(1);
      expect(chai[0]).to.include('Layering: checks and verdicts belong to suites/');
    }
    const facade = await layering('lib/drivers/openms.ts', "import type { Harness } from '../suite.ts';\nexport type H = Harness;\n");
    expect(facade).to.have.length(1);
    const runner = "import { expect } from 'chai';\nimport { harness } from '../suite.ts';\nexport const used = [expect, harness];\n";
    expect(await layering('lib/run/mocha-runner.ts', runner)).to.deep.equal([]);
    expect(await layering('lib/wait.test.ts', "import { expect } from 'chai';\nexport const e = expect;\n")).to.deep.equal([]);
  });

  it('lets allowed imports through', async () => {
    const spec = [
      "import { expect } from 'chai';",
      "import { harness } from '../../lib/suite.ts';",
      "import { nodesReady } from '../../lib/k8s/conditions.ts';",
      'export const used = [expect, harness, nodesReady];',
    ].join('\n');
    expect(await layering('suites/smoke/smoke.spec.ts', `${spec}\n`)).to.deep.equal([]);
    const report =
      "import { HarnessError } from '../errors.ts';\nimport type { RunEvent } from './events.ts';\nexport const e = HarnessError;\nexport type E = RunEvent;\n";
    expect(await layering('lib/report/write.ts', report)).to.deep.equal([]);
  });

  it('gives lib/report one entry holding the lib rules and its own', async () => {
    const groups = await patternsFor('lib/report/render/json.ts');
    expect(groups).to.include.members(['**/suites/**', 'p-retry', '@kubernetes/client-node', '**/k8s/**']);
  });
});
