import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordBuild } from '../../cluster/offline/exaflow-record.ts';
import { checkoutKey } from '../../cluster/offline/exaflow-source.ts';
import { ConfigError } from '../../errors.ts';
import type { Manifest } from '../manifest-fields.ts';
import type { LoadedChart } from './charts.ts';
import { checkNodePorts, engineNotes } from './engine-fit.ts';
import { engineImagesFor } from './engine-images.ts';
import { fixedNodePorts, renderedNamespaces } from './layout.ts';

/** What the real Exaflow chart renders with `namespace: default`, in short. */
const DOCS: Manifest[] = [
  { kind: 'Deployment', metadata: { name: 'exaflow-controller-deployment', namespace: 'default' } },
  {
    kind: 'Service',
    metadata: { name: 'exaflow-controller-service', namespace: 'default' },
    spec: { type: 'LoadBalancer', ports: [{ port: 5000, nodePort: 30000 }] },
  },
  {
    kind: 'Service',
    metadata: { name: 'exaflow-workers-service', namespace: 'default' },
    spec: { clusterIP: 'None', ports: [{ port: 5672 }] },
  },
  { kind: 'PersistentVolume', metadata: { name: 'pv' } },
  { kind: 'Deployment', metadata: { name: 'platform-backend' } },
];

describe('stack/mip/engine-fit', () => {
  const made: string[] = [];
  after(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it("lists every namespace the objects go to, the release's first, cluster-scoped objects aside", () => {
    expect(renderedNamespaces(DOCS, 'mip-verify-mip')).to.deep.equal(['mip-verify-mip', 'default']);
    expect(renderedNamespaces(DOCS.slice(3), 'mip-verify-mip')).to.deep.equal(['mip-verify-mip']);
  });

  it('finds the node ports a chart fixes', () => {
    expect(fixedNodePorts(DOCS, 'mip-verify-mip')).to.deep.equal([
      { service: 'default/exaflow-controller-service', type: 'LoadBalancer', nodePort: 30000 },
    ]);
  });

  it('refuses a node port another Service of the cluster holds, and accepts its own', async () => {
    const kube = (namespace: string, name: string) => ({
      core: {
        listServiceForAllNamespaces: () =>
          Promise.resolve({ items: [{ metadata: { namespace, name }, spec: { ports: [{ port: 5000, nodePort: 30000 }] } }] }),
      },
    });
    const signal = new AbortController().signal;
    await checkNodePorts(kube('default', 'exaflow-controller-service') as never, DOCS, 'mip-verify-mip', signal);
    const refused = await checkNodePorts(kube('other', 'exaflow-controller-service') as never, DOCS, 'mip-verify-mip', signal).catch(
      (e: unknown) => e,
    );
    expect(refused).to.be.instanceOf(ConfigError);
    expect((refused as ConfigError).message).to.equal(
      "the MIP charts' Service default/exaflow-controller-service needs node port 30000, which Service other/exaflow-controller-service already uses",
    );
  });

  it('notes the namespace value set, other namespaces looked in, and how the controller is reached', () => {
    const chart = { defaults: { namespace: 'default' }, user: {} } as unknown as LoadedChart;
    const web: Manifest = {
      kind: 'Service',
      metadata: { name: 'platform-ui' },
      spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] },
    };
    expect(engineNotes({ chart, engineDocs: DOCS, docs: [...DOCS, web], release: 'mip-verify-mip', engine: undefined })).to.deep.equal([
      "the Exaflow chart puts its objects in its own namespace value (default 'default'), not Helm's: set to mip-verify-mip, the run's namespace",
      'the charts put objects in namespace(s) default besides mip-verify-mip: the checks look there too',
      "Service default/exaflow-controller-service is a LoadBalancer on node port 30000 (the chart's unmanaged mode); the checks reach the controller through the API server's service proxy",
    ]);
  });

  it('gives a chart of a built checkout its images, and refuses when the checkout changed or the images are gone', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mip-verify-engine-'));
    made.push(root);
    const source = join(root, 'exaflow');
    const cache = join(root, 'cache');
    await mkdir(join(source, 'exaflow'), { recursive: true });
    await mkdir(join(source, 'kubernetes'));
    for (const file of ['pyproject.toml', 'poetry.lock', 'exaflow/__init__.py']) await writeFile(join(source, file), file);
    const contents = await checkoutKey(source);
    const images = {
      controller: 'mip-verify.local/exaflow_controller:k1',
      worker: 'mip-verify.local/exaflow_worker:k1',
      aggregation_server: 'mip-verify.local/exaflow_aggregation_server:k1',
    };
    await recordBuild(cache, { source, contents, key: 'k1', images, sizes: {}, builtAt: '2026-12-06T23:00:00.000Z' });
    const chart = { dir: join(source, 'kubernetes'), defaults: { exaflow_images: { repository: 'madgik', version: '0.27.0' } }, user: {} };
    const all = () => Promise.resolve(true);
    const found = await engineImagesFor(chart, cache, all);
    expect(found?.values).to.deep.equal({ exaflow_images: { repository: 'mip-verify.local', version: 'k1' } });
    expect(found?.note).to.include('no image name was typed');
    expect(await engineImagesFor({ ...chart, user: { exaflow_images: { repository: 'mine' } } }, cache, all)).to.equal(undefined);
    expect(await engineImagesFor({ ...chart, dir: root }, cache, all)).to.equal(undefined);
    const gone = await engineImagesFor(chart, cache, (ref) => Promise.resolve(!ref.includes('worker'))).catch((e: unknown) => e);
    expect(String(gone)).to.include('are gone from the local Docker engine (mip-verify.local/exaflow_worker:k1)');
    await writeFile(join(source, 'exaflow', '__init__.py'), 'changed');
    const stale = await engineImagesFor(chart, cache, all).catch((e: unknown) => e);
    expect(stale).to.be.instanceOf(ConfigError);
    expect((stale as ConfigError).message).to.include(`the Exaflow checkout ${source} changed since its images were built`);
    expect((stale as ConfigError).hint).to.equal(`Build them again: npx mip-verify image build --exaflow-source ${source}`);
  });
});
