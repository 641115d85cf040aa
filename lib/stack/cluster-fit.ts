// What a stack written for another cluster asks of this one, and how it is met on a disposable cluster:
// a StorageClass its volume claims name and the cluster lacks (the claims get the cluster's shared class
// instead), node labels its nodeSelectors require (put on the worker nodes). On a cluster the run did
// not create nothing is changed: the gap is reported instead. Also notes what would break on the stack's intended cluster, such as a
// ReadWriteOnce volume shared by pods that may land on different nodes.

import { list, podSpecs, record, type Manifest } from './manifest-fields.ts';

/** A StorageClass of the cluster. */
export interface StorageClassFact {
  /** Class name. */
  readonly name: string;
  /** Whether it is the default class. */
  readonly isDefault: boolean;
}

/** A node of the cluster. */
export interface NodeFact {
  /** Node name. */
  readonly name: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/** What the cluster offers. */
export interface ClusterFacts {
  /** Its StorageClasses. */
  readonly storageClasses: readonly StorageClassFact[];
  /** Its nodes. */
  readonly nodes: readonly NodeFact[];
}

/** A volume claim whose StorageClass the cluster lacks, and the class it gets instead. */
export interface ClassSwap {
  /** Claim name. */
  readonly claim: string;
  /** The class it asks for. */
  readonly asked: string;
  /** The cluster's class it is given. */
  readonly given: string;
}

/** What to change on the stack and the cluster, and what to tell the user. */
export interface FitPlan {
  /** Claims that get another StorageClass. */
  readonly classSwaps: readonly ClassSwap[];
  /** Labels to add, per node. */
  readonly nodeLabels: readonly { node: string; labels: Readonly<Record<string, string>> }[];
  /** One sentence per change, for the progress log. */
  readonly changes: readonly string[];
  /** Sentences about the stack's own storage layout (informational). */
  readonly notes: readonly string[];
}

const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';

/**
 * The changes a disposable cluster needs to run `docs`; empty when it already fits. A claim of a missing
 * StorageClass gets `sharedClass` when the cluster has it (storage every node sees, so pods on different
 * nodes share the volume as they would on the stack's own cluster), else the default class.
 */
export function planFit(docs: readonly Manifest[], facts: ClusterFacts, sharedClass?: string): FitPlan {
  const classSwaps = planClassSwaps(docs, facts, sharedClass);
  const nodeLabels = planNodeLabels(docs, facts);
  const changes = [
    ...classSwaps.map((c) => `volume claim ${c.claim} asks for StorageClass ${c.asked}, which the cluster lacks: it gets ${c.given}`),
    ...nodeLabels.map((n) => `node ${n.node} labelled ${labelText(n.labels)} (the stack's nodeSelectors require it)`),
  ];
  return { classSwaps, nodeLabels, changes, notes: sharedOnceNotes(docs) };
}

/** The sentence a cluster the run may not change gets instead of the plan. */
export function fitRefusal(plan: FitPlan, cluster: string): string | undefined {
  if (plan.changes.length === 0) return undefined;
  const needs = [
    ...[...new Set(plan.classSwaps.map((c) => c.asked))].map((name) => `StorageClass ${name}`),
    ...[...new Set(plan.nodeLabels.flatMap((n) => Object.entries(n.labels).map(([k, v]) => `${k}=${v}`)))].map(
      (l) => `a node labelled ${l}`,
    ),
  ];
  return `the stack needs ${needs.join(' and ')}, which cluster ${cluster} does not have`;
}

function planClassSwaps(docs: readonly Manifest[], facts: ClusterFacts, sharedClass?: string): ClassSwap[] {
  // A class the stack brings itself (the MIP web chart's unmanaged StorageClass) is not missing.
  const own = docs.filter((d) => d.kind === 'StorageClass').map((d) => String(record(d.metadata).name));
  const known = new Set([...facts.storageClasses.map((c) => c.name), ...own]);
  const base =
    facts.storageClasses.find((c) => c.name === sharedClass) ??
    facts.storageClasses.find((c) => c.isDefault) ??
    (facts.storageClasses.length === 1 ? facts.storageClasses[0] : undefined);
  const swaps: ClassSwap[] = [];
  for (const doc of docs.filter((d) => d.kind === 'PersistentVolumeClaim')) {
    const asked = record(doc.spec).storageClassName;
    if (typeof asked !== 'string' || asked === '' || known.has(asked) || !base) continue;
    swaps.push({ claim: String(record(doc.metadata).name), asked, given: base.name });
  }
  return swaps;
}

/** Gives each claim of the plan its new StorageClass. */
export function swapStorageClasses(docs: readonly Manifest[], swaps: readonly ClassSwap[]): void {
  for (const doc of docs.filter((d) => d.kind === 'PersistentVolumeClaim')) {
    const swap = swaps.find((c) => c.claim === record(doc.metadata).name);
    if (swap) record(doc.spec).storageClassName = swap.given;
  }
}

function planNodeLabels(docs: readonly Manifest[], facts: ClusterFacts): FitPlan['nodeLabels'] {
  const required: Record<string, string> = {};
  for (const selector of docs.flatMap(podSpecs).map((spec) => record(spec.nodeSelector))) {
    for (const [key, value] of Object.entries(selector)) {
      if (typeof value !== 'string') continue;
      if (!facts.nodes.some((node) => node.labels[key] === value)) required[key] = value;
    }
  }
  if (Object.keys(required).length === 0) return [];
  const workers = facts.nodes.filter((node) => !(CONTROL_PLANE in node.labels));
  return (workers.length > 0 ? workers : facts.nodes).map((node) => ({ node: node.name, labels: { ...required } }));
}

/** A claim that is ReadWriteOnce only, mounted by more than one pod: fine on a shared host directory, not on block storage. */
function sharedOnceNotes(docs: readonly Manifest[]): string[] {
  const notes: string[] = [];
  for (const claim of docs.filter((d) => d.kind === 'PersistentVolumeClaim')) {
    const modes = list(record(claim.spec).accessModes);
    if (modes.length !== 1 || modes[0] !== 'ReadWriteOnce') continue;
    const name = record(claim.metadata).name;
    const users = docs.filter((doc) => podSpecs(doc).some((spec) => mountsClaim(spec, name)));
    const pods = users.reduce((sum, doc) => sum + replicasOf(doc), 0);
    if (pods < 2) continue;
    const names = users.map((doc) => `${String(doc.kind)} ${String(record(doc.metadata).name)}`).join(', ');
    notes.push(
      `volume claim ${String(name)} is ReadWriteOnce but ${names} mount it (${pods} pods or more): ` +
        'on block storage such as Cinder, pods scheduled to another node cannot attach it',
    );
  }
  return notes;
}

function mountsClaim(spec: Manifest, claim: unknown): boolean {
  return list(spec.volumes).some((volume) => record(record(volume).persistentVolumeClaim).claimName === claim);
}

function replicasOf(doc: Manifest): number {
  if (doc.kind === 'CronJob') return 1;
  const replicas = record(doc.spec).replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}
