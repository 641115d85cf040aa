// The OpenMS stack's service probe: one small TOPP workflow submitted after the fault runs to its result
// files on a worker. Status reads fail while the API, Redis or the web pod is down; they are repeated (the
// trial's signal bounds them).
import type { OpenmsDriver } from '../drivers/openms.ts';
import { OPENMS_LAYOUT } from '../drivers/openms.ts';
import { workflowEnded } from '../drivers/openms-conditions.ts';
import { workflowProblems } from '../drivers/workflow-verdict.ts';
import { waitFor } from '../wait.ts';
import type { ServiceProbe } from './probe.ts';
import { call } from './service.ts';

/** The probe of an OpenMS stack. */
export function openmsProbe(driver: OpenmsDriver): ServiceProbe {
  return {
    what: 'one TOPP workflow runs to its result files on a worker',
    healthPath: OPENMS_LAYOUT.health,
    workerNodes: async (signal) => (await driver.readyPods(OPENMS_LAYOUT.worker, signal)).map((p) => p.spec?.nodeName ?? ''),
    once: async (_scenario, { signal, intervalMs, listener }) => {
      const workspace = await call((s) => driver.createWorkspace({ signal: s }), signal, 'a workspace');
      await call((s) => driver.addInput(workspace, { name: 'sample-1.mzML', seed: 1, signal: s }), signal, 'an input file');
      await call((s) => driver.submit(workspace, { signal: s }), signal, 'the workflow submission');
      // Each status read is bounded like every call of the probe; a read that fails is a look that saw nothing and
      // the reads go on, one interval apart, until the trial's end (the signal). The moment the workflow was seen
      // ended is known to within the gap since the read before (since the submission, for the first).
      const ended = workflowEnded(driver, workspace);
      const seen = await waitFor(
        { what: ended.what, check: (s) => call((c) => ended.check(c), s, 'the workflow status') },
        { within: Infinity, signal, interval: intervalMs, fixedInterval: true, immediate: false, listener },
      );
      const status = seen.value ?? (await call((s) => driver.status(workspace, { signal: s }), signal, 'the workflow status'));
      const workers = (await call((s) => driver.readyPods(OPENMS_LAYOUT.worker, s), signal, 'the worker pods')).map(
        (p) => p.metadata?.name ?? '',
      );
      return {
        id: workspace,
        precisionMs: seen.gapMs,
        problems: workflowProblems(status, driver.expectedResults(['sample-1.mzML']), workers),
      };
    },
  };
}
