// Reading fields of rendered Kubernetes objects (plain parsed YAML) without trusting their shape.

/** One rendered object. */
export type Manifest = Record<string, unknown>;

/** Whether a value is a plain object. */
export function isRecord(value: unknown): value is Manifest {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a plain object, else an empty one (a missing field reads as `{}`). */
export function record(value: unknown): Manifest {
  return isRecord(value) ? value : {};
}

/** The value when it is an array, else an empty one. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The pod specs of a workload, Job, CronJob or Pod (empty for other kinds). */
export function podSpecs(doc: Manifest): Manifest[] {
  if (doc.kind === 'Pod') return [record(doc.spec)];
  if (doc.kind === 'CronJob') return [record(record(record(record(record(doc.spec).jobTemplate).spec).template).spec)];
  const template = record(record(doc.spec).template);
  return Object.keys(template).length > 0 ? [record(template.spec)] : [];
}

/** The containers and init containers of a pod spec. */
export function containersOf(podSpec: Manifest): Manifest[] {
  return [...list(podSpec.containers), ...list(podSpec.initContainers)].filter(isRecord);
}

/** Every image the containers of the objects run, once each. */
export function imagesOf(docs: readonly Manifest[]): string[] {
  return [
    ...new Set(
      docs
        .flatMap(podSpecs)
        .flatMap(containersOf)
        .map((c) => c.image)
        .filter((i): i is string => typeof i === 'string'),
    ),
  ];
}
