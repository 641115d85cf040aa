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

/** Where each part of the build goes: cache folders and image tags, each keyed by its own inputs. */
interface PlanPaths {
  /** A kit script's absolute path. */
  readonly script: (name: string) => string;
  readonly kitDir: string;
  readonly k8sDir: string;
  readonly toolsDir: string;
  readonly traefik: string;
  readonly pause: string;
  readonly probe: string;
  readonly slimImage: string;
  readonly nodeBase: string;
  readonly toolsTag: string;
  readonly componentsTar: string;
  readonly engineDir: string;
  readonly nodeImage: string;
}

/** The steps up to the kind node image, in order, and the built tools to expose. */
export async function planSteps(input: PlanInput): Promise<BuildPlan> {
  const paths = await planPaths(input);
  const steps: BuildStep[] = [...toolchainSteps(paths), ...binarySteps(paths), ...baseImageSteps(paths), ...nodeImageSteps(paths)];
  const tools = {
    kind: join(paths.toolsDir, 'kind'),
    helm: join(paths.toolsDir, 'helm'),
    k6: join(paths.toolsDir, 'k6'),
    kubectl: join(paths.k8sDir, 'kubectl'),
  };
  return { steps, nodeImage: input.nodeImage, tools };
}

async function planPaths({ cache, kitDir, nodeImage }: PlanInput): Promise<PlanPaths> {
  const key = (parts: readonly string[], files: readonly string[]): Promise<string> => cacheKey(kitDir, parts, files);
  const toolParts = [versions.kind, versions.helm, versions.k6, versions.coredns];
  const probeFiles = [
    '../../../fixtures/images/probe/main.go',
    '../../../fixtures/images/probe/go.mod',
    '../../../fixtures/images/probe/go.sum',
  ];
  return {
    script: (name: string): string => join(kitDir, name),
    kitDir,
    k8sDir: join(cache, 'build', `kubernetes-${await key([versions.kubernetes], ['build-kubernetes.sh'])}`),
    toolsDir: join(cache, 'build', `tools-${await key(toolParts, ['build-go-tools.sh', 'coredns/main.go'])}`),
    traefik: join(cache, 'build', `traefik-${await key([versions.traefik], ['fetch-traefik.sh'])}`, 'traefik'),
    pause: join(cache, 'build', `pause-${await key([], ['images/pause.c'])}`, 'pause'),
    probe: join(cache, 'build', `probe-${await key([], probeFiles)}`, 'probe'),
    slimImage: `mip-verify.local/slim-base:${await key([versions.debianSuite, ...slimPackages], ['rootfs.sh'])}`,
    nodeBase: `mip-verify.local/node-base:${await key([versions.debianSuite, ...nodePackages], ['rootfs.sh'])}`,
    toolsTag: await toolsImageTag(),
    componentsTar: join(cache, 'build', `components-${nodeImage.split(':')[1] ?? 'x'}.tar`),
    engineDir: join(cache, 'docker'),
    nodeImage,
  };
}

/** The Docker engine, the Kubernetes binaries and the Go tools the cluster and the harness run. */
function toolchainSteps({ script, engineDir, k8sDir, toolsDir, traefik }: PlanPaths): BuildStep[] {
  return [
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
  ];
}

/** The small static binaries of the component images: pause, and the probe test workload. */
function binarySteps({ script, kitDir, pause, probe }: PlanPaths): BuildStep[] {
  return [
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
  ];
}

/** The Debian root file systems the component images and the node image start from. */
function baseImageSteps({ script, slimImage, nodeBase }: PlanPaths): BuildStep[] {
  return [
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
  ];
}

/** The component images (archived for preloading), then the kind node image that carries them. */
function nodeImageSteps(p: PlanPaths): BuildStep[] {
  return [
    {
      title: 'component images',
      done: () => exists(p.componentsTar),
      command: [p.script('component-images.sh')],
      env: {
        K8S_VERSION: versions.kubernetes,
        K8S_BIN: p.k8sDir,
        TOOLS_BIN: p.toolsDir,
        TRAEFIK_BIN: p.traefik,
        PAUSE_BIN: p.pause,
        PROBE_BIN: p.probe,
        SLIM_IMAGE: p.slimImage,
        ETCD_TAG: versions.etcdTag,
        COREDNS_TAG: versions.corednsTag,
        PAUSE_TAG: versions.pauseTag,
        TOOLS_TAG: p.toolsTag,
        TRAEFIK_TAG: versions.traefik,
        OUT_TAR: p.componentsTar,
      },
    },
    {
      title: 'kind node image',
      done: () => imageExists(p.nodeImage),
      command: [p.script('node-image.sh')],
      env: {
        NODE_BASE: p.nodeBase,
        K8S_BIN: p.k8sDir,
        K8S_VERSION: versions.kubernetes,
        COMPONENTS_TAR: p.componentsTar,
        TOOLS_TAG: p.toolsTag,
        OUT_IMAGE: p.nodeImage,
      },
    },
  ];
}
