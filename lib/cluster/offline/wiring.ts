// How the kind provider uses the offline kit: the locally built node image when it exists, and
// the add-ons (Traefik, shared StorageClass) installed once the cluster is up.
import type { AfterCreateHook, ProviderDeps } from '../types.ts';
import { installAddons } from './addons.ts';
import { localImageId, offlineNodeImage } from './kit.ts';

/** Provider dependencies that make kind use the offline node image and add-ons. */
export function offlineKindDeps(env: NodeJS.ProcessEnv, readyMs: number): Pick<ProviderDeps, 'defaultNodeImage' | 'afterCreate'> {
  let chosen: string | undefined;
  const defaultNodeImage = async (): Promise<string | undefined> => {
    const image = await offlineNodeImage();
    chosen = (await localImageId(image)) !== '' ? image : undefined;
    return chosen;
  };
  const afterCreate: AfterCreateHook = async (cluster, options) => {
    // The add-on images are preloaded only in the offline node image; with another node image the
    // user brings their own ingress controller.
    if (chosen === undefined && !(await defaultNodeImage())) {
      options.progress?.('node image is not the offline one: skipping the Traefik and shared-storage add-ons');
      return;
    }
    await installAddons(cluster, { ...options, env, withinMs: readyMs });
  };
  return { defaultNodeImage, afterCreate };
}
