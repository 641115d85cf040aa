// The OpenMS stack's service probe: one small TOPP workflow submitted after the fault runs to its result
// files on a worker. Status reads fail while the API, Redis or the web pod is down; they are repeated (the
// trial's signal bounds them).
import type { OpenmsDriver } from '../drivers/openms.ts';
import { OPENMS_LAYOUT, workflowHasEnded } from '../drivers/openms.ts';
import { workflowProblems } from '../drivers/workflow-verdict.ts';
import { delay } from '../wait.ts';
import type { ServiceProbe } from './probe.ts';
import { call } from './service.ts';

/** The probe of an OpenMS stack. */
export function openmsProbe(driver: OpenmsDriver): ServiceProbe {
  return {
    what: 'one TOPP workflow runs to its result files on a worker',
    healthPath: OPENMS_LAYOUT.health,
    workerNodes: async (signal) => (await driver.readyPods(OPENMS_LAYOUT.worker, signal)).map((p) => p.spec?.nodeName ?? ''),
    once: async (_scenario, { signal, intervalMs }) => {
      const workspace = await call((s) => driver.createWorkspace({ signal: s }), signal, 'a workspace');
      await call((s) => driver.addInput(workspace, { name: 'sample-1.mzML', seed: 1, signal: s }), signal, 'an input file');
      await call((s) => driver.submit(workspace, { signal: s }), signal, 'the workflow submission');
      let previous = performance.now();
      for (;;) {
        await delay(intervalMs, signal);
        const status = await call((s) => driver.status(workspace, { signal: s }), signal, 'the workflow status').catch(() => undefined);
        const now = performance.now();
        if (status && workflowHasEnded(status)) {
          const workers = (await call((s) => driver.readyPods(OPENMS_LAYOUT.worker, s), signal, 'the worker pods')).map(
            (p) => p.metadata?.name ?? '',
          );
          return {
            id: workspace,
            precisionMs: Math.max(1, Math.round(now - previous)),
            problems: workflowProblems(status, driver.expectedResults(['sample-1.mzML']), workers),
          };
        }
        previous = now;
      }
    },
  };
}
