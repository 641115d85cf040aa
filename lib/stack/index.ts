// Picks the stack deployer (kustomize directory or Helm chart) and gathers what deployers depend on.
import { createTools } from '../cluster/command-runner.ts';
import { connect } from '../k8s/client.ts';
import { createHelmDeployer } from './helm.ts';
import { createKustomizeDeployer } from './kustomize.ts';
import { createMipDeployer } from './mip/deployer.ts';
import type { DeployerContext, DeployerDeps, DeployerKind, StackDeployer } from './types.ts';

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
