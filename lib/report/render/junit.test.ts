import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RunEventBody } from '../events.ts';
import { runBegin, runEnd, stamp, suite, trial } from '../../../fixtures/support/recorded-events.ts';
import { renderJunit } from './junit.ts';

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
});
const parse = (xml: string): Node => parser.parse(xml) as Node;
// Attributes prefixed, so an attribute can never be mistaken for a child element of the same name.
const strictParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });
const suitesOf = (doc: Node): Node[] => (doc.testsuites as Node).testsuite as Node[];
const casesOf = (s: Node | undefined): Node[] => (s?.testcase as Node[] | undefined) ?? [];

// Attributes the Jenkins/Surefire JUnit schema (junit-10.xsd) allows, and the ones it requires.
const SCHEMA: Record<string, { allowed: string[]; required: string[] }> = {
  testsuites: { allowed: ['name', 'time', 'tests', 'failures', 'errors'], required: [] },
  testsuite: {
    allowed: [
      'name',
      'tests',
      'failures',
      'errors',
      'group',
      'time',
      'skipped',
      'timestamp',
      'hostname',
      'id',
      'package',
      'file',
      'log',
      'url',
    ],
    required: ['name', 'tests', 'failures', 'errors'],
  },
  testcase: { allowed: ['name', 'time', 'classname', 'group'], required: ['name'] },
  failure: { allowed: ['type', 'message'], required: [] },
  error: { allowed: ['type', 'message'], required: [] },
  skipped: { allowed: ['type', 'message'], required: [] },
};
const SUREFIRE_TIME = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$/;

function checkSchema(name: string, node: unknown): void {
  if (Array.isArray(node)) return node.forEach((item) => checkSchema(name, item));
  if (typeof node !== 'object' || node === null) return;
  const rule = SCHEMA[name];
  const attributes = Object.keys(node)
    .filter((k) => k.startsWith('@_'))
    .map((k) => k.slice(2));
  if (rule) {
    expect(attributes, `attributes of <${name}>`).to.satisfy((keys: string[]) => keys.every((k) => rule.allowed.includes(k)));
    for (const required of rule.required) expect(attributes, `<${name}>`).to.include(required);
    const time = (node as Node)['@_time'];
    if (typeof time === 'string') expect(time).to.match(SUREFIRE_TIME);
  }
  for (const [key, child] of Object.entries(node)) if (SCHEMA[key]) checkSchema(key, child);
}

describe('junit.xml', () => {
  const failing: RunEventBody[] = [
    runBegin(),
    ...suite('smoke', [
      ['health answers', 'passed'],
      ['tricky <tag> & "quote"', 'failed', 'expected <200> & got "503"\u001b[31m red\u001b[0m'],
    ]),
    { kind: 'suite.begin', suite: 'cleanup', title: 'Cleanup' },
    { kind: 'suite.end', suite: 'cleanup', status: 'skipped', ms: 0, reason: 'no CronJob <none>' },
    runEnd('failed', 1),
  ];

  it('is well-formed and follows the JUnit schema', () => {
    const xml = renderJunit(stamp(failing));
    expect(XMLValidator.validate(xml)).to.equal(true);
    checkSchema('testsuites', (strictParser.parse(xml) as Node).testsuites);
    expect(suitesOf(parse(xml)).map((s) => s.name)).to.deep.equal(['smoke', 'cleanup']);
  });

  it('has one testsuite per suite with counts and one testcase per check', () => {
    const [smoke, cleanup] = suitesOf(parse(renderJunit(stamp(failing))));
    expect(smoke).to.include({ tests: '2', failures: '1', errors: '0', skipped: '0', time: '4.000', timestamp: '2026-11-22T02:00:01' });
    expect(casesOf(smoke).map((c) => [c.classname, c.name, c.time])).to.deep.equal([
      ['mip-verify.smoke', 'health answers', '1.500'],
      ['mip-verify.smoke', 'tricky <tag> & "quote"', '1.500'],
    ]);
    expect(cleanup).to.include({ tests: '1', skipped: '1' });
    expect((casesOf(cleanup)[0]?.skipped as Node).message).to.equal('no CronJob <none>');
  });

  it('escapes <&" in failure messages and drops colour codes', () => {
    const xml = renderJunit(stamp(failing));
    expect(xml).to.include('message="expected &lt;200&gt; &amp; got &quot;503&quot; red"');
    expect(xml).not.to.include('\u001b');
    const failure = casesOf(suitesOf(parse(xml))[0])[1]?.failure as Node;
    expect(failure).to.include({ type: 'AssertionError', message: 'expected <200> & got "503" red' });
  });

  it('adds trials recorded outside a check as testcases of the recovery suite', () => {
    const xml = renderJunit(
      stamp([runBegin(), trial('worker-node-down', 1, 330_000), trial('worker-node-down', 2, 90_000), runEnd('failed', 1)]),
    );
    const recovery = suitesOf(parse(xml)).find((s) => s.name === 'recovery');
    expect(recovery).to.include({ tests: '2', failures: '1' });
    const [slow, fast] = casesOf(recovery);
    expect(slow?.name).to.equal('worker-node-down trial 1 on node-a');
    expect((slow?.failure as Node).message).to.equal('Recovered after 330.000 s, over the SLO of 300.000 s.');
    expect(fast).not.to.have.property('failure');
  });

  it('does not repeat trials already covered by a recovery check', () => {
    const bodies: RunEventBody[] = [
      runBegin(),
      { kind: 'suite.begin', suite: 'recovery', title: 'Recovery' },
      { kind: 'test.begin', suite: 'recovery', test: 'node down' },
      trial('worker-node-down', 1, 330_000),
      {
        kind: 'test.end',
        suite: 'recovery',
        test: 'node down',
        status: 'failed',
        ms: 5,
        error: { name: 'AssertionError', message: 'over SLO' },
      },
      { kind: 'suite.end', suite: 'recovery', status: 'failed', ms: 6 },
      runEnd('failed', 1),
    ];
    expect(casesOf(suitesOf(parse(renderJunit(stamp(bodies))))[0]).map((c) => c.name)).to.deep.equal(['node down']);
  });

  it('reports a run that crashed outside its checks as an error, never as an empty green file', () => {
    const crashed = stamp([runBegin(), { kind: 'phase.begin', phase: 'provision', title: 'Create cluster' }]);
    const runSuite = suitesOf(parse(renderJunit(crashed))).find((s) => s.name === 'run');
    expect(runSuite).to.include({ tests: '1', errors: '1' });
    expect((casesOf(runSuite)[0]?.error as Node).message).to.match(/did not finish/);
    const provisioning = stamp([
      runBegin(),
      { kind: 'run.end', status: 'error', exitCode: 3, error: { name: 'ToolError', message: 'kind exited with code 1' } },
    ]);
    expect((casesOf(suitesOf(parse(renderJunit(provisioning)))[0])[0]?.error as Node).type).to.equal('ToolError');
  });
});
