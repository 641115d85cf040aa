// Picks the stack deployer (kustomize directory or Helm chart) and gathers what deployers depend on.
import { createTools, type RunToolFn, type Tools } from '../cluster/command-runner.ts';
import type { ConnectFn } from '../cluster/index.ts';
import { connect } from '../k8s/client.ts';
import { createHelmDeployer } from './helm.ts';
import { createKustomizeDeployer } from './kustomize.ts';
import { createMipDeployer } from './mip/deployer.ts';
import type { DeployerKind, StackDeployer } from './types.ts';

/** What deployers depend on; every member has a default. */
export interface DeployerDeps {
  /** Environment for kubectl and helm (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Runs a program (default: lib/exec `runTool`). */
  runTool?: RunToolFn;
  /** Opens the Kubernetes API (default: lib/k8s/client `connect`). */
  connect?: ConnectFn;
  /** Extra arguments for `helm upgrade --install` (e.g. `--set`, `--timeout`); Helm only. */
  extraArgs?: readonly string[];
}

/** DeployerDeps with every default filled in. */
export interface DeployerContext {
  /** Program runner and environment. */
  readonly tools: Tools;
  /** Opens the Kubernetes API. */
  readonly connect: ConnectFn;
  /** See DeployerDeps.extraArgs. */
  readonly extraArgs: readonly string[];
}

/** The deployer for a kind of stack source. */
export function createDeployer(kind: DeployerKind, deps: DeployerDeps = {}): StackDeployer {
  // The CLI passes its environment down; the process's own is only the fallback for direct callers.
  const context: DeployerContext = {
    tools: createTools(deps.env ?? process.env, deps.runTool),
    connect: deps.connect ?? connect,
    extraArgs: deps.extraArgs ?? [],
  };
  switch (kind) {
    case 'kustomize':
      return createKustomizeDeployer(context);
    case 'helm':
      return createHelmDeployer(context);
    case 'mip':
      return createMipDeployer(context);
    default:
      return assertNever(kind);
  }
}

function assertNever(value: never): never {
  throw new Error(`unknown stack deployer: ${String(value)}`);
}
