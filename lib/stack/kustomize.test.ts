import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { fakeCluster, fakeTools, type FakeTools } from '../../fixtures/support/fake-tools.ts';
import { ConfigError } from '../errors.ts';
import type { OpOptions } from '../cluster/types.ts';
import { createDeployer } from './index.ts';
import type { Kube } from '../k8s/client.ts';
import { imageName, prepareStack, serialize } from './manifests.ts';
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
const prepareManifests = (text: string, spec: StackSpec): { manifest: string; unmatched: string[] } => {
  const prepared = prepareStack(text, spec);
  return { manifest: serialize(prepared.docs), unmatched: prepared.unmatched };
};

/** A stack written for another cluster: its own namespace, an nginx-class Ingress, a Traefik IngressRoute with
 * host names, a StorageClass and a node label this cluster lacks, and pull policy Always. */
const foreign = `apiVersion: v1
kind: Namespace
metadata: {name: openms}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: workspaces-pvc, namespace: openms}
spec: {accessModes: [ReadWriteOnce], storageClassName: cinder-csi, resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: openms}
spec:
  replicas: 2
  selector: {matchLabels: {component: web}}
  template:
    metadata: {labels: {component: web}}
    spec:
      nodeSelector: {example.org/tier: low}
      containers:
      - {name: web, image: 'ghcr.io/openms/streamlit-template:main', imagePullPolicy: Always}
      volumes:
      - {name: ws, persistentVolumeClaim: {claimName: workspaces-pvc}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: openms}
spec:
  ingressClassName: nginx
  rules: [{host: web.example.de}]
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: {name: web-traefik, namespace: openms}
spec:
  routes: [{match: "(Host(\`app.example.de\`) || Host(\`app.example.org\`)) && PathPrefix(\`/\`)", kind: Rule}]
`;

/** A cluster API with one default StorageClass, the default IngressClass traefik and Traefik's IngressRoute resource. */
function fakeKube(calls: string[] = []): Kube {
  const list =
    <T>(items: T[]) =>
    () =>
      Promise.resolve({ items });
  return {
    storage: {
      listStorageClass: list([
        {
          metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
          provisioner: 'example/node-local',
        },
        { metadata: { name: 'mip-verify-shared' }, provisioner: 'example/shared' },
      ]),
    },
    core: {
      listNode: list([
        { metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } } },
        { metadata: { name: 'w1', labels: {} } },
      ]),
      patchNode: (req: { name: string; body: unknown }) => {
        calls.push(`label ${req.name} ${JSON.stringify(req.body)}`);
        return Promise.resolve({});
      },
    },
    networking: {
      listIngressClass: list([{ metadata: { name: 'traefik', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } }]),
    },
    extensions: { readCustomResourceDefinition: () => Promise.resolve({}) },
  } as unknown as Kube;
}

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
    spec = {
      name: 'openms',
      source: dir,
      namespace: 'openms',
      images: { 'ghcr.io/openms/streamlit-template': 'openms-streamlit:offline' },
    };
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
    const overrides = {
      'ghcr.io/openms/streamlit-template': 'openms-streamlit:offline',
      'busybox:1.36': 'busybox:offline',
      redis: 'redis:7',
    };
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
    await createDeployer('kustomize', { env: tools.env, connect: () => fakeKube() }).deploy(spec, cluster, {
      ...options,
      progress: (l) => lines.push(l),
    });
    expect(await tools.calls()).to.deep.equal([
      ['kubectl', 'kustomize', dir],
      [
        'kubectl',
        '--kubeconfig',
        cluster.kubeconfigPath,
        '--context',
        'kind-mip-verify',
        'apply',
        '--server-side',
        '--field-manager=mip-verify',
        '--force-conflicts',
        '-f',
        '-',
      ],
    ]);
    const [applied] = await tools.stdin();
    expect(applied?.stdin).to.equal(prepareManifests(rendered, spec).manifest);
    expect(applied?.stdin).to.include('openms-streamlit:offline');
    expect(lines).to.deep.equal(['applying openms to namespace openms']);
  });

  it('uninstalls by deleting exactly what it applied, missing objects being fine', async () => {
    const cluster = fakeCluster();
    const stack = await createDeployer('kustomize', { env: tools.env, connect: () => fakeKube() }).deploy(spec, cluster, options);
    await stack.uninstall(options);
    const calls = await tools.calls();
    expect(calls.at(-1)).to.deep.equal([
      'kubectl',
      '--kubeconfig',
      cluster.kubeconfigPath,
      '--context',
      'kind-mip-verify',
      'delete',
      '--ignore-not-found',
      '-f',
      '-',
    ]);
    const stdin = await tools.stdin();
    expect(stdin[1]?.stdin).to.equal(stdin[0]?.stdin);
  });

  it("moves a stack that names one namespace of its own into the run's namespace and drops that Namespace object", () => {
    const docs = docsOf(serialize(prepareStack(foreign, { ...spec, namespace: 'mip-verify-openms' }).docs));
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}:${d.metadata.namespace ?? '-'}`)).to.deep.equal([
      'Namespace/mip-verify-openms:-',
      'PersistentVolumeClaim/workspaces-pvc:mip-verify-openms',
      'Deployment/web:mip-verify-openms',
      'Ingress/web:mip-verify-openms',
      'IngressRoute/web-traefik:mip-verify-openms',
    ]);
  });

  it("fits a foreign stack to a disposable cluster: its shared StorageClass, worker labels, pull policy of loaded images, the served route's host", async () => {
    await writeFile(join(dir, 'rendered.yaml'), foreign);
    const calls: string[] = [];
    const lines: string[] = [];
    const image = 'openms-streamlit:offline';
    const cluster = fakeCluster({ images: { loadLocal: (refs) => Promise.resolve(refs.filter((r) => r === image)) } });
    const stack = await createDeployer('kustomize', { env: tools.env, connect: () => fakeKube(calls) }).deploy(
      { ...spec, namespace: 'mip-verify-openms' },
      cluster,
      { ...options, progress: (l) => lines.push(l) },
    );
    expect(calls).to.deep.equal(['label w1 {"metadata":{"labels":{"example.org/tier":"low"}}}']);
    expect(stack.host).to.equal('app.example.de');
    expect(stack.url('/x')).to.equal('http://127.0.0.1:18080/x');
    expect(stack.pageUrl('/x')).to.equal('http://app.example.de:18080/x');
    const [applied] = await tools.stdin();
    expect(applied?.stdin).to.include('imagePullPolicy: IfNotPresent').and.not.include('Always');
    expect(applied?.stdin).to.include('storageClassName: mip-verify-shared').and.not.include('cinder-csi');
    expect(lines.join('\n'))
      .to.include('Ingress web is not served: its class nginx is not an IngressClass of the cluster (classes: traefik)')
      .and.include('checks reach the stack through IngressRoute web-traefik with Host app.example.de')
      .and.include('volume claim workspaces-pvc is ReadWriteOnce but Deployment web mount it (2 pods or more)')
      .and.include('namespace openms: installing them into mip-verify-openms')
      .and.include('volume claim workspaces-pvc asks for StorageClass cinder-csi, which the cluster lacks: it gets mip-verify-shared');
  });

  it('changes nothing on a cluster the run did not create and names what the stack lacks there', async () => {
    await writeFile(join(dir, 'rendered.yaml'), foreign);
    const calls: string[] = [];
    const deploying = createDeployer('kustomize', { env: tools.env, connect: () => fakeKube(calls) }).deploy(
      spec,
      fakeCluster({ disposable: false }),
      options,
    );
    const error = await deploying.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConfigError);
    expect(String((error as Error).message)).to.equal(
      'the stack needs StorageClass cinder-csi and a node labelled example.org/tier=low, which cluster mip-verify does not have',
    );
    expect(calls).to.deep.equal([]);
    expect((await tools.calls()).map((c) => c[1])).to.not.include('--kubeconfig');
  });
});
