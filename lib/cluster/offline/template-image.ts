// The OpenMS streamlit-template's own image as a build step: built by openms-template.sh from a
// checkout, tagged with the checkout's content key, so a run of that checkout's manifests finds it,
// and labelled with the checkout's identity (commit, changes, remote, digest of the files sent).
import type { ImageSource } from '../../report/events.ts';
import { checkoutImage, TEMPLATE_BUILD_FILES, templateContextFiles } from '../../stack/openms-checkout.ts';
import { checkoutIdentity, imageLabels, labelsName, sourceLabels, type Git, runGit } from '../../stack/source-identity.ts';
import type { BuildStep } from './types.ts';

/** How the step looks at the local engine and the checkout; tests pass their own. */
export interface TemplateImageProbes {
  /** The labels of a local image; undefined when there is none of that name. */
  labels?: (ref: string) => Promise<Record<string, string> | undefined>;
  /** git in the checkout. */
  git?: Git;
}

/**
 * The build step of the image of `checkout` (`imageId`: the local engine's id of an image, '' if none), the
 * image it makes and the checkout's identity; done when the image exists and its labels name that identity.
 */
export async function templateImageStep(
  checkout: string,
  imageId: (ref: string) => Promise<string>,
  probes: TemplateImageProbes = {},
): Promise<{ step: BuildStep; image: string; source: ImageSource }> {
  const image = await checkoutImage(checkout);
  const source = await checkoutIdentity(checkout, await templateContextFiles(checkout), probes.git ?? runGit);
  const labels = probes.labels ?? imageLabels;
  const [script, driver] = TEMPLATE_BUILD_FILES as readonly [string, string, string];
  return {
    image,
    source,
    step: {
      title: `OpenMS template image from ${checkout}`,
      done: async () => (await imageId(image)) !== '' && labelsName(await labels(image), source),
      command: [script, checkout, image, driver, ...sourceLabels(source)],
    },
  };
}
