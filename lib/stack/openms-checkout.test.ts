import { expect } from 'chai';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkoutGaps,
  checkoutImage,
  checkoutImages,
  describeMissingScripts,
  LOCAL_REDIS_IMAGE,
  missingScripts,
  stackCheckout,
  TEMPLATE_IMAGE,
} from './openms-checkout.ts';

/** A minimal template checkout: what the build needs, a workflow that runs one python tool, and an overlay. */
async function checkout(options: { tools?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'template-'));
  const files: Record<string, string> = {
    Dockerfile: 'FROM ubuntu:22.04 AS setup-build-system\nFROM setup-build-system AS run-app\nCOPY app.py /app/app.py\n',
    'requirements.txt': 'streamlit==1.49.1\n',
    'app.py': 'print(1)\n',
    'settings.json': '{}\n',
    'src/workflow/tasks.py': 'def execute_workflow(): pass\n',
    'src/workflow/QueueManager.py': 'class QueueManager: pass\n',
    'src/Workflow.py': 'self.executor.run_python(\n    "export_consensus_feature_df", {"in": x})\n',
    'k8s/overlays/prod/kustomization.yaml': 'resources: []\n',
  };
  if (options.tools) files['src/python-tools/export_consensus_feature_df.py'] = 'DEFAULTS = []\n';
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('stack/openms-checkout', () => {
  it('recognises a template checkout, and names what another directory lacks', async () => {
    expect(await checkoutGaps(await checkout())).to.deep.equal([]);
    const other = await mkdtemp(join(tmpdir(), 'other-'));
    await writeFile(join(other, 'Dockerfile'), 'FROM debian\n');
    expect(await checkoutGaps(other)).to.deep.equal([
      'requirements.txt',
      'app.py',
      'settings.json',
      'src/workflow/tasks.py',
      'src/workflow/QueueManager.py',
      "a 'run-app' stage in Dockerfile",
    ]);
  });

  it('finds the checkout of its own overlay, and of an overlay of yours that lists it as a resource', async () => {
    const dir = await checkout();
    expect(await stackCheckout(join(dir, 'k8s/overlays/prod'))).to.equal(dir);
    const mine = await mkdtemp(join(tmpdir(), 'mine-'));
    await writeFile(
      join(mine, 'kustomization.yaml'),
      `resources:\n  - ${join('..', dir.split('/').pop() ?? '', 'k8s/overlays/prod')}\n  - extra.yaml\n`,
    );
    expect(await stackCheckout(mine)).to.equal(dir);
    expect(await stackCheckout(await mkdtemp(join(tmpdir(), 'none-')))).to.equal(undefined);
  });

  it("keys the image by the checkout's contents", async () => {
    const a = await checkout();
    const b = await checkout();
    expect(await checkoutImage(a))
      .to.equal(await checkoutImage(b))
      .and.match(/^mip-verify\.local\/openms-template:[0-9a-f]{12}$/);
    await writeFile(join(b, 'app.py'), 'print(2)\n');
    expect(await checkoutImage(b)).to.not.equal(await checkoutImage(a));
  });

  it('names the python tools a workflow runs that the checkout lacks', async () => {
    const dir = await checkout();
    const missing = await missingScripts(dir);
    expect(missing).to.deep.equal([{ script: 'src/python-tools/export_consensus_feature_df.py', caller: 'src/Workflow.py' }]);
    expect(describeMissingScripts('X', missing)).to.equal(
      'the checkout X lacks src/python-tools/export_consensus_feature_df.py (run by src/Workflow.py): a workflow fails at the step that runs it; restore src/python-tools from the repository',
    );
    expect(await missingScripts(await checkout({ tools: true }))).to.deep.equal([]);
  });

  it('gives the overlay the image built from its checkout and the local Redis, unless the user named them', async () => {
    const dir = await checkout({ tools: true });
    const overlay = join(dir, 'k8s/overlays/prod');
    const image = await checkoutImage(dir);
    const built = await checkoutImages(overlay, {}, () => Promise.resolve(true));
    expect(built).to.deep.include({ kind: 'built', checkout: dir, images: { [TEMPLATE_IMAGE]: image, redis: LOCAL_REDIS_IMAGE } });
    expect(await checkoutImages(overlay, { [TEMPLATE_IMAGE]: 'x:1' }, () => Promise.resolve(true))).to.deep.equal({ kind: 'none' });
    expect(await checkoutImages(overlay, {}, () => Promise.resolve(false))).to.deep.equal({ kind: 'missing', checkout: dir, image });
  });
});
