// The offline image build's vocabulary: a step that knows whether its outputs exist, and the plan
// of steps up to the kind node image.

/** One unit of the build: done() checks its real outputs, run() produces them. */
export interface BuildStep {
  title: string;
  done(): Promise<boolean>;
  /** Command and arguments; environment added to the caller's. */
  command: readonly [string, ...string[]];
  env?: Record<string, string>;
}

/** The steps up to the kind node image, in the order they must run. */
export interface BuildPlan {
  steps: BuildStep[];
  nodeImage: string;
  /** Tools to expose in `<cache>/bin`: name → built binary. */
  tools: Record<string, string>;
}
