// The checks every suite starts with: the cluster's nodes and the stack's workloads are Ready.
// A suite's own checks only mean something on a cluster and stack that are up.
import { expect } from 'chai';
import { nodesReady, recentWarnings, stackWorkloads, workloadName, workloadsReady, type Harness } from '../../lib/suite.ts';

/** Declares the two readiness checks in the calling `describe`. */
export function readinessChecks(h: Harness): void {
  it('every node of the cluster is Ready', async () => {
    const nodes = await h.step('the cluster lists its nodes', () => h.cluster.listNodes());
    expect(nodes, 'nodes of the cluster').to.not.be.empty;
    await h.step(`${nodes.length} nodes are Ready`, () => h.waitFor(nodesReady(h.kube, nodes.length), { within: h.config.timeouts.ready }));
  });

  it('every workload of the stack is Ready', async () => {
    // A chart may put its objects in a namespace of its own choosing (the Exaflow chart's `namespace` value).
    const namespaces = h.stack.namespaces ?? [h.stack.spec.namespace];
    const where = `namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}`;
    const workloads = await h.step(`${where} hold${namespaces.length > 1 ? '' : 's'} Deployments or StatefulSets`, async () =>
      (await Promise.all(namespaces.map((namespace) => stackWorkloads(h.kube, namespace, h.signal)))).flat(),
    );
    expect(workloads.map(workloadName), `workloads in ${where}`).to.not.be.empty;
    await h.step(`every workload is Ready (${workloads.map(workloadName).join(', ')})`, async () => {
      try {
        await h.waitFor(workloadsReady(h.kube, workloads), { within: h.config.timeouts.ready });
      } catch (error) {
        // "0/1 ready" says what, the namespace's warnings say why (a failing probe, an image that cannot be pulled).
        const warnings = (
          await Promise.all(namespaces.map((namespace) => recentWarnings(h.kube, namespace, 3, h.signal).catch(() => [])))
        ).flat();
        if (warnings.length === 0) throw error;
        throw new Error(`${error instanceof Error ? error.message : String(error)}; recent warnings: ${warnings.join(' | ')}`, {
          cause: error,
        });
      }
    });
  });
}
