// The OpenMS streamlit-template's own image as a build step: built by openms-template.sh from a
// checkout, tagged with the checkout's content key, so a run of that checkout's manifests finds it.
import { checkoutImage, TEMPLATE_BUILD_FILES } from '../../stack/openms-checkout.ts';
import type { BuildStep } from './types.ts';

/** The build step of the image of `checkout` (`imageId`: the local engine's id of an image, '' if none), and the image it makes. */
export async function templateImageStep(
  checkout: string,
  imageId: (ref: string) => Promise<string>,
): Promise<{ step: BuildStep; image: string }> {
  const image = await checkoutImage(checkout);
  const [script, driver] = TEMPLATE_BUILD_FILES as readonly [string, string, string];
  return {
    image,
    step: {
      title: `OpenMS template image from ${checkout}`,
      done: async () => (await imageId(image)) !== '',
      command: [script, checkout, image, driver],
    },
  };
}
