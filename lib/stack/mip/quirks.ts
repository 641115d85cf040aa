// Known slips of the real MIP web chart the run meets on a cluster it created. The 9.0.2 chart writes
// `keycloak.AUTHENTICATION` with Sprig's `default true`, which treats `false` as unset: with
// `keycloak.enabled: false` it still renders "1", and the backend then needs a Keycloak server it cannot
// reach offline. The run sets the ConfigMap key to "0" after installing and restarts the Deployments.
import { requestOptions, type Kube } from '../../k8s/client.ts';
import { mergePatch } from '../cluster-facts.ts';
import { AUTHENTICATION_KEY, renderedAuthentication } from './layout.ts';
import type { Manifest } from '../manifest-fields.ts';
import { valueAt, type Values } from './values.ts';

/** Whether the rendered web chart authenticates although its values switch Keycloak off. */
export function authenticationSlip(docs: readonly Manifest[], values: Values): boolean {
  return valueAt(values, 'keycloak.enabled') === false && renderedAuthentication(docs) === '1';
}

/** Sets the key to "0" and restarts every Deployment of the namespace reading the ConfigMap; returns the note. */
export async function switchOffAuthentication(kube: Pick<Kube, 'core' | 'apps'>, namespace: string, signal: AbortSignal): Promise<string> {
  const { configMap, key } = AUTHENTICATION_KEY;
  await kube.core.patchNamespacedConfigMap({ name: configMap, namespace, body: { data: { [key]: '0' } } }, mergePatch(signal));
  const deployments = await kube.apps.listNamespacedDeployment({ namespace }, requestOptions(signal));
  const readers = deployments.items
    .filter((d) => JSON.stringify(d.spec?.template).includes(`"${configMap}"`))
    .map((d) => d.metadata?.name ?? '');
  const at = new Date().toISOString();
  for (const name of readers) {
    const body = { spec: { template: { metadata: { annotations: { 'mip-verify/restarted-at': at } } } } };
    await kube.apps.patchNamespacedDeployment({ name, namespace, body }, mergePatch(signal));
  }
  return `the web chart renders ${key} "1" although keycloak.enabled is false (Sprig's default treats false as unset): set to "0" in ConfigMap ${configMap} and ${readers.join(', ') || 'no Deployment'} restarted`;
}
