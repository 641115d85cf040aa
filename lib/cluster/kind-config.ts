// The kind cluster configuration (kind.x-k8s.io/v1alpha4) for the disposable cluster: ports on
// 127.0.0.1 only, MIP node labels, and one host directory shared by every node.
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../errors.ts';

/** Where every node sees the shared host directory. */
export const sharedMountPath = '/mnt/shared';

/** What the kind cluster configuration depends on. */
export interface KindConfigOptions {
  /** Number of worker nodes besides the one control plane. */
  readonly workers: number;
  /** Host port for HTTP on 127.0.0.1; HTTPS gets the next one. */
  readonly httpPort: number;
  /** Host directory mounted at /mnt/shared on every node. */
  readonly sharedDir: string;
}

interface PortMapping {
  containerPort: number;
  hostPort: number;
  listenAddress: string;
  protocol: 'TCP';
}

/** One node of the kind configuration. */
export interface KindNode {
  /** `control-plane` or `worker`. */
  role: 'control-plane' | 'worker';
  /** Labels kind puts on the node (kind ≥ 0.20; also applied through the API after creation). */
  labels: Record<string, string>;
  /** Host ports forwarded into the node. */
  extraPortMappings?: PortMapping[];
  /** Host directories mounted into the node. */
  extraMounts: { hostPath: string; containerPath: string }[];
}

/** The kind configuration document. */
export interface KindClusterConfig {
  /** Always `Cluster`. */
  kind: 'Cluster';
  /** Always `kind.x-k8s.io/v1alpha4`. */
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  /** The API server listens on loopback only. */
  networking: { apiServerAddress: string };
  /** Control plane first, then the workers. */
  nodes: KindNode[];
}

/** Labels of the control plane: MIP's `master=true`, and `ingress-ready=true` for the ingress controller. */
export const controlPlaneLabels: Readonly<Record<string, string>> = { master: 'true', 'ingress-ready': 'true' };
/** Labels of every worker. */
export const workerLabels: Readonly<Record<string, string>> = { worker: 'true' };

/** Rejects values kind would fail on later with a less clear message. */
export function checkKindOptions(options: KindConfigOptions): void {
  const { workers, httpPort } = options;
  if (!Number.isInteger(workers) || workers < 0 || workers > 10) {
    throw new ConfigError(`kind worker count ${workers} is not a whole number from 0 to 10`);
  }
  if (!Number.isInteger(httpPort) || httpPort < 1 || httpPort > 65534) {
    throw new ConfigError(`ingress port ${httpPort} is not a port from 1 to 65534 (HTTPS uses the next one)`);
  }
}

/** The configuration as an object. */
export function kindConfig(options: KindConfigOptions): KindClusterConfig {
  const mounts = [{ hostPath: resolve(options.sharedDir), containerPath: sharedMountPath }];
  const port = (containerPort: number, hostPort: number): PortMapping => ({
    containerPort,
    hostPort,
    listenAddress: '127.0.0.1',
    protocol: 'TCP',
  });
  const controlPlane: KindNode = {
    role: 'control-plane',
    labels: { ...controlPlaneLabels },
    extraPortMappings: [port(80, options.httpPort), port(443, options.httpPort + 1)],
    extraMounts: mounts,
  };
  const workers = Array.from({ length: options.workers }, (): KindNode => ({
    role: 'worker',
    labels: { ...workerLabels },
    extraMounts: mounts,
  }));
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: { apiServerAddress: '127.0.0.1' },
    nodes: [controlPlane, ...workers],
  };
}

/** The configuration as the YAML `kind create cluster --config -` reads. */
export function renderKindConfig(options: KindConfigOptions): string {
  checkKindOptions(options);
  return stringify(kindConfig(options));
}
