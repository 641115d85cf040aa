// Golden files: the recorded runs in fixtures/runs re-rendered and compared byte for byte.
// After an intended format change, regenerate them with UPDATE_GOLDEN=1 and review the diff.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderReportJson } from './render/json.ts';
import { renderJunit } from './render/junit.ts';
import { renderHtml } from './render/html.ts';
import { readEvents } from './write.ts';

const RUNS = ['openms-nightly-failed', 'openms-smoke-passed'];
const runDir = (name: string): string => fileURLToPath(new URL(`../../fixtures/runs/${name}/`, import.meta.url));

function golden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  expect(actual).to.equal(readFileSync(file, 'utf8'));
}

describe('recorded runs against golden files', () => {
  for (const name of RUNS) {
    describe(name, () => {
      it('renders report.json equal to expected-report.json', async () => {
        const events = await readEvents(`${runDir(name)}events.jsonl`);
        golden(`${runDir(name)}expected-report.json`, `${JSON.stringify(renderReportJson(events), null, 2)}\n`);
      });

      it('renders junit.xml equal to expected-junit.xml', async () => {
        const events = await readEvents(`${runDir(name)}events.jsonl`);
        golden(`${runDir(name)}expected-junit.xml`, renderJunit(events));
      });

      it('renders byte-identical output twice from the same file', async () => {
        const once = await readEvents(`${runDir(name)}events.jsonl`);
        const twice = await readEvents(`${runDir(name)}events.jsonl`);
        expect(renderJunit(twice)).to.equal(renderJunit(once));
        expect(renderHtml(twice)).to.equal(renderHtml(once));
        expect(JSON.stringify(renderReportJson(twice))).to.equal(JSON.stringify(renderReportJson(once)));
      });
    });
  }
});
