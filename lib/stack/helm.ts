// The Helm deployer: a thin command builder over `helm template`, `helm upgrade --install` and
// `helm uninstall`. Images come through the values files; uninstalling a missing release succeeds.
import { access, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import type { Cluster, OpOptions } from '../cluster/types.ts';
import { createStackHandle, failureTail } from './handle.ts';
import type { DeployerContext, Stack, StackDeployer, StackSpec } from './types.ts';
import { throwIfMissingTool, type ToolResult } from '../exec.ts';

/** The Helm deployer. */
export function createHelmDeployer(ctx: DeployerContext): StackDeployer {
  const { tools } = ctx;
  const helm = (args: readonly string[], signal: AbortSignal): Promise<ToolResult> =>
    tools.runTool('helm', args, { signal, env: tools.env });

  const validate = async (spec: StackSpec, options: OpOptions): Promise<void> => {
    const chart = await chartDir(spec.source);
    const values = await valuesArgs(spec);
    try {
      await helm(['template', releaseOf(spec), chart, '-n', spec.namespace, ...values], options.signal);
    } catch (error) {
      throwIfMissingTool(error);
      throw new ConfigError(
        `helm could not render chart '${chart}': ${failureTail(error)}`,
        `check it with \`helm template ${chart}\` (charts with dependencies need \`helm dependency build\`)`,
      );
    }
  };

  const deploy = async (spec: StackSpec, cluster: Cluster, options: OpOptions): Promise<Stack> => {
    const chart = await chartDir(spec.source);
    if (Object.keys(spec.images).length > 0) {
      options.progress?.(`helm stack ${spec.name} takes image overrides through its values files; --image is not applied`);
    }
    const args = installArgs(spec, cluster, { chart, values: await valuesArgs(spec), extra: ctx.extraArgs });
    options.progress?.(`helm upgrade --install ${releaseOf(spec)} in namespace ${spec.namespace}`);
    await helm(args, options.signal);
    const uninstall = ({ signal }: OpOptions): Promise<void> =>
      uninstallRelease(helm, { release: releaseOf(spec), namespace: spec.namespace, cluster }, signal);
    return createStackHandle({ spec, cluster, tools, connect: ctx.connect, uninstall });
  };

  return { kind: 'helm', validate, deploy };
}

/** `helm uninstall` of a release in a namespace; a release that is not there counts as removed. */
export async function uninstallRelease(
  helm: (args: readonly string[], signal: AbortSignal) => Promise<unknown>,
  target: { release: string; namespace: string; cluster: Cluster },
  signal: AbortSignal,
): Promise<void> {
  const { release, namespace, cluster } = target;
  try {
    await helm(['uninstall', release, '-n', namespace, '--kube-context', cluster.context, '--kubeconfig', cluster.kubeconfigPath], signal);
  } catch (error) {
    if (!/not found/i.test(failureTail(error))) throw error;
  }
}

/** The argv of `helm upgrade --install` (no --wait: readiness is the harness's own, timed wait). */
export function installArgs(
  spec: StackSpec,
  cluster: Cluster,
  parts: { chart: string; values: readonly string[]; extra: readonly string[] },
): string[] {
  return [
    'upgrade',
    '--install',
    releaseOf(spec),
    parts.chart,
    '-n',
    spec.namespace,
    '--create-namespace',
    ...parts.values,
    '--kube-context',
    cluster.context,
    '--kubeconfig',
    cluster.kubeconfigPath,
    ...parts.extra,
  ];
}

function releaseOf(spec: StackSpec): string {
  return spec.release ?? spec.name;
}

/** The chart directory, when it holds a Chart.yaml; ConfigError naming the path otherwise. */
export async function chartDir(source: string): Promise<string> {
  const dir = resolve(source);
  const ok = await stat(join(dir, 'Chart.yaml')).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!ok) throw new ConfigError(`chart directory '${dir}' has no Chart.yaml`, 'pass --stack-source with a Helm chart directory');
  return dir;
}

/** `-f <file>` for each values file; ConfigError naming the first that is missing. */
async function valuesArgs(spec: StackSpec): Promise<string[]> {
  const args: string[] = [];
  for (const file of spec.valuesFiles ?? []) {
    const path = resolve(file);
    await access(path).catch(() => {
      throw new ConfigError(`values file '${path}' does not exist`, 'fix the path of the values file');
    });
    args.push('-f', path);
  }
  return args;
}
