import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fakeCluster, fakeTools, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { ConfigError } from '../errors.ts';
import type { OpOptions } from '../cluster/types.ts';
import { createDeployer } from './index.ts';
import { imageName, prepareManifests } from './kustomize.ts';
import type { StackSpec } from './types.ts';

const rendered = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: streamlit
spec:
  selector: {matchLabels: {app: streamlit}}
  template:
    metadata: {labels: {app: streamlit}}
    spec:
      initContainers:
      - {name: init-workspace, image: 'busybox:1.36'}
      containers:
      - {name: streamlit, image: 'ghcr.io/openms/streamlit-template:latest'}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cleanup, namespace: other}
spec:
  schedule: '0 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - {name: cleanup, image: 'ghcr.io/openms/streamlit-template@sha256:abc'}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
---
apiVersion: v1
kind: Service
metadata: {name: redis}
`;

type Doc = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };
const docsOf = (text: string): Doc[] => parseAllDocuments(text).map((d) => d.toJS() as Doc);

describe('kustomize deployer', () => {
  let tools: FakeTools;
  let dir: string;
  let spec: StackSpec;
  const options: OpOptions = { signal: new AbortController().signal };

  beforeEach(async () => {
    tools = await fakeTools();
    dir = join(tools.dir, 'openms');
    await mkdir(dir);
    await writeFile(join(dir, 'kustomization.yaml'), 'resources: [web.yaml]\n');
    await writeFile(join(dir, 'rendered.yaml'), rendered);
    spec = { name: 'openms', source: dir, namespace: 'openms', images: { 'ghcr.io/openms/streamlit-template': 'openms-streamlit:offline' } };
  });
  afterEach(() => tools.cleanup());

  it('names a source directory that is missing or holds no kustomization', async () => {
    const deployer = createDeployer('kustomize', { env: tools.env });
    const missing = join(tools.dir, 'nope');
    const error = await deployer.validate({ ...spec, source: missing }, options).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(`stack source '${missing}' is not a directory`);
    const bare = await deployer.validate({ ...spec, source: tools.dir }, options).catch((e: unknown) => e);
    expect((bare as Error).message).to.equal(`stack source '${tools.dir}' has no kustomization.yaml`);
  });

  it("reports kustomize's own error when the directory does not render", async () => {
    const deployer = createDeployer('kustomize', { env: { ...tools.env, FAKE_KUBECTL_MODE: 'kustomize-fails' } });
    const error = await deployer.validate(spec, options).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.match(new RegExp(`^kustomize could not render '${dir}': error: accumulating resources`));
  });

  it('rewrites images of containers, init containers and CronJobs by name without tag or digest', () => {
    const overrides = { 'ghcr.io/openms/streamlit-template': 'openms-streamlit:offline', 'busybox:1.36': 'busybox:offline', 'redis': 'redis:7' };
    const { manifest, unmatched } = prepareManifests(rendered, { ...spec, images: overrides });
    const [, deployment, cronJob] = docsOf(manifest);
    const pod = (deployment?.spec?.template as { spec: { containers: { image: string }[]; initContainers: { image: string }[] } }).spec;
    expect(pod.containers[0]?.image).to.equal('openms-streamlit:offline');
    expect(pod.initContainers[0]?.image).to.equal('busybox:offline');
    expect(JSON.stringify(cronJob)).to.include('"image":"openms-streamlit:offline"');
    expect(unmatched).to.deep.equal(['redis']);
  });

  it('puts the namespace first and on namespaced objects that lack one, leaving others as written', () => {
    const docs = docsOf(prepareManifests(rendered, spec).manifest);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}:${d.metadata.namespace ?? '-'}`)).to.deep.equal([
      'Namespace/openms:-',
      'Deployment/streamlit:openms',
      'CronJob/cleanup:other',
      'ClusterRole/reader:-',
      'Service/redis:openms',
    ]);
  });

  it('quotes strings that YAML 1.1 (kubectl) would read as booleans, such as annotation values', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    proxy-buffering: "off"\n    sticky: "true"\n';
    const { manifest } = prepareManifests(text, { name: 'openms', source: '.', namespace: 'ns', images: {} });
    expect(manifest).to.include('proxy-buffering: "off"').and.to.include('sticky: "true"');
  });

  it('splits image references into name and tag the way registries with ports need', () => {
    expect(imageName('registry:5000/team/app:1.2')).to.equal('registry:5000/team/app');
    expect(imageName('registry:5000/team/app')).to.equal('registry:5000/team/app');
    expect(imageName('redis@sha256:0123')).to.equal('redis');
  });

  it('deploys with kubectl kustomize, then a server-side apply of the prepared objects to the cluster context', async () => {
    const lines: string[] = [];
    const cluster = fakeCluster();
    await createDeployer('kustomize', { env: tools.env, connect: () => ({}) as never }).deploy(spec, cluster, { ...options, progress: (l) => lines.push(l) });
    expect(await tools.calls()).to.deep.equal([
      ['kubectl', 'kustomize', dir],
      ['kubectl', '--kubeconfig', cluster.kubeconfigPath, '--context', 'kind-mip-verify', 'apply', '--server-side', '--field-manager=mip-verify', '--force-conflicts', '-f', '-'],
    ]);
    const [applied] = await tools.stdin();
    expect(applied?.stdin).to.equal(prepareManifests(rendered, spec).manifest);
    expect(applied?.stdin).to.include('openms-streamlit:offline');
    expect(lines).to.deep.equal(['applying openms to namespace openms']);
  });

  it('uninstalls by deleting exactly what it applied, missing objects being fine', async () => {
    const cluster = fakeCluster();
    const stack = await createDeployer('kustomize', { env: tools.env }).deploy(spec, cluster, options);
    await stack.uninstall(options);
    const calls = await tools.calls();
    expect(calls.at(-1)).to.deep.equal(['kubectl', '--kubeconfig', cluster.kubeconfigPath, '--context', 'kind-mip-verify', 'delete', '--ignore-not-found', '-f', '-']);
    const stdin = await tools.stdin();
    expect(stdin[1]?.stdin).to.equal(stdin[0]?.stdin);
  });
});
