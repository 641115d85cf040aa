// The steps of the offline image build up to the kind node image, each with its cache location or
// image tag derived from its own inputs, in the order they must run. The stacks' images are in
// stack-images.ts: this file's contents key the node image.
import { join } from 'node:path';
import { runTool } from '../../exec.ts';
import { cacheKey } from './cache-key.ts';
import { exists, localImageId, toolsImageTag } from './kit.ts';
import type { BuildPlan, BuildStep } from './types.ts';
import { nodePackages, slimPackages, versions } from './versions.ts';

interface PlanInput {
  cache: string;
  kitDir: string;
  nodeImage: string;
}

const k8sBinaries = ['kubelet', 'kubeadm', 'kubectl', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'];

async function imageExists(ref: string): Promise<boolean> {
  return (await localImageId(ref)) !== '';
}

async function allExist(dir: string, names: readonly string[]): Promise<boolean> {
  const found = await Promise.all(names.map((n) => exists(join(dir, n))));
  return found.every(Boolean);
}

export async function planSteps({ cache, kitDir, nodeImage }: PlanInput): Promise<BuildPlan> {
  const key = (parts: readonly string[], files: readonly string[]): Promise<string> => cacheKey(kitDir, parts, files);
  const script = (name: string): string => join(kitDir, name);
  const k8sDir = join(cache, 'build', `kubernetes-${await key([versions.kubernetes], ['build-kubernetes.sh'])}`);
  const toolParts = [versions.kind, versions.helm, versions.k6, versions.coredns];
  const toolsDir = join(cache, 'build', `tools-${await key(toolParts, ['build-go-tools.sh', 'coredns/main.go'])}`);
  const traefik = join(cache, 'build', `traefik-${await key([versions.traefik], ['fetch-traefik.sh'])}`, 'traefik');
  const pause = join(cache, 'build', `pause-${await key([], ['images/pause.c'])}`, 'pause');
  const probeFiles = [
    '../../../fixtures/images/probe/main.go',
    '../../../fixtures/images/probe/go.mod',
    '../../../fixtures/images/probe/go.sum',
  ];
  const probe = join(cache, 'build', `probe-${await key([], probeFiles)}`, 'probe');
  const slimImage = `mip-verify.local/slim-base:${await key([versions.debianSuite, ...slimPackages], ['rootfs.sh'])}`;
  const nodeBase = `mip-verify.local/node-base:${await key([versions.debianSuite, ...nodePackages], ['rootfs.sh'])}`;
  const toolsTag = await toolsImageTag();
  const componentsTar = join(cache, 'build', `components-${nodeImage.split(':')[1] ?? 'x'}.tar`);
  const engineDir = join(cache, 'docker');

  const steps: BuildStep[] = [
    {
      title: 'docker engine',
      done: () =>
        runTool('docker', ['info']).then(
          () => true,
          () => false,
        ),
      command: [script('docker-engine.sh'), engineDir],
    },
    {
      title: `Kubernetes ${versions.kubernetes} binaries`,
      done: () => allExist(k8sDir, k8sBinaries),
      command: [script('build-kubernetes.sh'), versions.kubernetes, k8sDir],
    },
    {
      title: 'kind, helm, k6 and CoreDNS',
      done: () => allExist(toolsDir, ['kind', 'helm', 'k6', 'coredns']),
      command: [script('build-go-tools.sh'), toolsDir, versions.kind, versions.helm, versions.k6, versions.coredns],
    },
    { title: `Traefik ${versions.traefik}`, done: () => exists(traefik), command: [script('fetch-traefik.sh'), versions.traefik, traefik] },
    {
      title: 'pause',
      done: () => exists(pause),
      command: ['sh', '-c', `mkdir -p "$(dirname "$1")" && gcc -static -O2 -o "$1" "$2"`, 'pause', pause, script('images/pause.c')],
    },
    {
      title: 'probe (test workload)',
      done: () => exists(probe),
      command: [
        'sh',
        '-c',
        'cd "$1" && go build -trimpath -ldflags "-s -w" -o "$2" .',
        'probe',
        join(kitDir, '../../../fixtures/images/probe'),
        probe,
      ],
      env: { GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    },
    {
      title: 'Debian base for component images',
      done: () => imageExists(slimImage),
      command: [script('rootfs.sh'), slimImage, versions.debianSuite, slimPackages.join(',')],
    },
    {
      title: 'Debian base for the node image',
      done: () => imageExists(nodeBase),
      command: [script('rootfs.sh'), nodeBase, versions.debianSuite, nodePackages.join(',')],
    },
    {
      title: 'component images',
      done: () => exists(componentsTar),
      command: [script('component-images.sh')],
      env: {
        K8S_VERSION: versions.kubernetes,
        K8S_BIN: k8sDir,
        TOOLS_BIN: toolsDir,
        TRAEFIK_BIN: traefik,
        PAUSE_BIN: pause,
        PROBE_BIN: probe,
        SLIM_IMAGE: slimImage,
        ETCD_TAG: versions.etcdTag,
        COREDNS_TAG: versions.corednsTag,
        PAUSE_TAG: versions.pauseTag,
        TOOLS_TAG: toolsTag,
        TRAEFIK_TAG: versions.traefik,
        OUT_TAR: componentsTar,
      },
    },
    {
      title: 'kind node image',
      done: () => imageExists(nodeImage),
      command: [script('node-image.sh')],
      env: {
        NODE_BASE: nodeBase,
        K8S_BIN: k8sDir,
        K8S_VERSION: versions.kubernetes,
        COMPONENTS_TAR: componentsTar,
        TOOLS_TAG: toolsTag,
        OUT_IMAGE: nodeImage,
      },
    },
  ];
  const tools = {
    kind: join(toolsDir, 'kind'),
    helm: join(toolsDir, 'helm'),
    k6: join(toolsDir, 'k6'),
    kubectl: join(k8sDir, 'kubectl'),
  };
  return { steps, nodeImage, tools };
}
