// Where a run's stack comes from: the user's source (`--stack-source`) or the reference stack in
// fixtures/, which deployer installs it, and into which namespace.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunConfig, StackName } from '../config/types.ts';
import { ConfigError } from '../errors.ts';
import { projectRoot } from '../paths.ts';
import type { DeployerKind, StackSpec } from '../stack/types.ts';

/** The stack a run deploys and how. */
export interface StackPlan {
  /** What the deployer installs. */
  readonly spec: StackSpec;
  /** A kustomize directory (openms) or the Exaflow and web charts (mip). */
  readonly deployer: DeployerKind;
  /** Whether the source is the reference stack shipped in fixtures/ rather than one the user named. */
  readonly reference: boolean;
}

const DEPLOYER: Readonly<Record<StackName, DeployerKind>> = { openms: 'kustomize', mip: 'mip' };

/** The namespace a stack is installed into; the run owns it and touches nothing outside it. */
export function stackNamespace(stack: StackName): string {
  return `mip-verify-${stack}`;
}

/** Works out the stack of a run from its configuration (`root` is the project checkout). */
export function planStack(
  config: Pick<RunConfig, 'stack' | 'stackSource' | 'images'> & Partial<Pick<RunConfig, 'mip'>>,
  root: string = projectRoot,
): StackPlan {
  if (config.stack === 'mip') return planMip(config, root);
  const reference = config.stackSource === undefined;
  const source = config.stackSource ?? join(root, 'fixtures', 'stacks', config.stack);
  const spec: StackSpec = { name: config.stack, source, namespace: stackNamespace(config.stack), images: { ...config.images } };
  return { spec, deployer: DEPLOYER[config.stack], reference };
}

/** The mip stack: the Exaflow chart, then the web chart, each the user's or the reference one. */
function planMip(config: Pick<RunConfig, 'images'> & Partial<Pick<RunConfig, 'mip'>>, root: string): StackPlan {
  const mip = config.mip ?? { exaflowValues: [], webValues: [] };
  const referenceDir = join(root, 'fixtures', 'stacks', 'mip');
  const exaflow = mip.exaflowChart ?? join(referenceDir, 'exaflow');
  const web = mip.webChart ?? join(referenceDir, 'web');
  const reference = mip.exaflowChart === undefined && mip.webChart === undefined;
  const spec: StackSpec = {
    name: 'mip',
    source: reference ? referenceDir : `${exaflow} + ${web}`,
    namespace: stackNamespace('mip'),
    images: { ...config.images },
    charts: [
      { role: 'exaflow', release: 'exaflow', chart: exaflow, valuesFiles: [...mip.exaflowValues] },
      { role: 'web', release: 'mip', chart: web, valuesFiles: [...mip.webValues] },
    ],
    ...(mip.data ? { data: mip.data } : {}),
  };
  return { spec, deployer: 'mip', reference };
}

/** ConfigError when the stack source is not a directory, worded for the reference stack or the user's path. */
export async function checkStackSource(plan: StackPlan): Promise<void> {
  // The mip deployer checks each chart itself, naming the one that is missing.
  if (plan.deployer === 'mip') return;
  const isDir = await stat(plan.spec.source).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (isDir) return;
  if (plan.reference) {
    throw new ConfigError(
      `The reference ${plan.spec.name} stack is not available in this checkout (expected at ${plan.spec.source}).`,
      `Pass --stack-source with the path of a ${describeSource(plan)}.`,
    );
  }
  throw new ConfigError(
    `Stack source ${plan.spec.source} is not a directory.`,
    `Pass --stack-source with the path of a ${describeSource(plan)}.`,
  );
}

function describeSource(plan: StackPlan): string {
  return plan.deployer === 'kustomize' ? 'kustomize directory' : 'Helm chart directory';
}
