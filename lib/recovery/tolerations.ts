// Short not-ready/unreachable tolerations for the side-by-side comparison: every Deployment of the stack gets
// them in its pod template (a rollout), and the returned action puts each template's own tolerations back.
import type { V1Deployment, V1Toleration } from '@kubernetes/client-node';
import type { Kube } from '../k8s/client.ts';
import { isConflict, requestOptions } from '../k8s/client.ts';
import { NODE_DOWN_TAINTS } from './settings.ts';

/** `existing` without any toleration of the node-down taints, plus NoExecute tolerations of them for `seconds`. */
export function withShortTolerations(existing: readonly V1Toleration[] | undefined, seconds: number): V1Toleration[] {
  const others = (existing ?? []).filter((t) => !(NODE_DOWN_TAINTS as readonly string[]).includes(t.key ?? ''));
  return [...others, ...NODE_DOWN_TAINTS.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }))];
}

/** The pod template's tolerations replaced by `tolerations` (undefined removes the field). */
export function withTolerations(deployment: V1Deployment, tolerations: V1Toleration[] | undefined): V1Deployment {
  const spec = deployment.spec;
  if (!spec?.template.spec) throw new Error(`deployment/${deployment.metadata?.name ?? '?'} has no pod template`);
  const podSpec = { ...spec.template.spec, tolerations };
  if (tolerations === undefined) delete podSpec.tolerations;
  return { ...deployment, spec: { ...spec, template: { ...spec.template, spec: podSpec } } };
}

async function update(
  kube: Pick<Kube, 'apps'>,
  at: { namespace: string; name: string },
  change: (d: V1Deployment) => V1Deployment,
  signal?: AbortSignal,
): Promise<void> {
  const { namespace, name } = at;
  // A conflict means the controller wrote status meanwhile: read again and retry.
  for (let attempt = 1; ; attempt += 1) {
    const current = await kube.apps.readNamespacedDeployment({ name, namespace }, requestOptions(signal));
    try {
      await kube.apps.replaceNamespacedDeployment({ name, namespace, body: change(current) }, requestOptions(signal));
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= 5) throw error;
    }
  }
}

/** Short tolerations for every Deployment of a namespace, applied and restored as one. */
export interface TolerationPatch {
  /** The Deployments it covers. */
  readonly names: readonly string[];
  /** Gives each of them NoExecute tolerations of the node-down taints for `seconds`. */
  apply(seconds: number, signal?: AbortSignal): Promise<void>;
  /** Puts back the tolerations each changed Deployment had when the patch was made; a no-op when none changed. */
  restore(signal?: AbortSignal): Promise<void>;
}

/** Reads the Deployments of `namespace` and their tolerations, so the restore can be registered before anything changes. */
export async function tolerationPatch(kube: Pick<Kube, 'apps'>, namespace: string, signal?: AbortSignal): Promise<TolerationPatch> {
  const list = await kube.apps.listNamespacedDeployment({ namespace }, requestOptions(signal));
  const originals = new Map(list.items.map((d) => [d.metadata?.name ?? '', d.spec?.template.spec?.tolerations]));
  const changed = new Set<string>();
  return {
    names: [...originals.keys()],
    apply: async (seconds, applySignal) => {
      for (const name of originals.keys()) {
        // Marked before the call: a replace that landed but whose answer was lost is restored too.
        changed.add(name);
        await update(kube, { namespace, name }, (d) => withTolerations(d, withShortTolerations(originals.get(name), seconds)), applySignal);
      }
    },
    restore: async (restoreSignal) => {
      for (const name of [...changed]) {
        await update(kube, { namespace, name }, (d) => withTolerations(d, originals.get(name)), restoreSignal);
        changed.delete(name);
      }
    },
  };
}
