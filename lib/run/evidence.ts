// Evidence of a failed run, collected into <runDir>/artifacts/ while the cluster still exists (before teardown):
// diagnostics of the stack namespace and the provider's cluster logs. Collecting never masks the real failure.
import { mkdir } from 'node:fs/promises';
import { extname, isAbsolute, join, relative } from 'node:path';
import type { Cluster } from '../cluster/types.ts';
import type { Kube } from '../k8s/client.ts';
import type { RunEventBody } from '../report/events.ts';
import { toEventError } from '../report/mocha-reporter.ts';

/** Writes diagnostics of a namespace into a folder and returns the files written (lib/k8s/diagnostics). */
export type CollectDiagnostics = (kube: Kube, namespace: string, dir: string, options: { signal: AbortSignal }) => Promise<string[]>;

/** What there is to collect evidence from; anything the run did not get to is absent. */
export interface EvidenceSources {
  /** The run directory; evidence goes to `<runDir>/artifacts/`. */
  readonly runDir: string;
  /** Receives one `artifact` event per piece of evidence, and `log` warnings for what could not be collected. */
  readonly bus: { emit(body: RunEventBody): unknown };
  /** Bounds the whole collection. */
  readonly signal: AbortSignal;
  /** The cluster, if it was provisioned. */
  readonly cluster?: Cluster;
  /** Its API, if it could be opened. */
  readonly kube?: Kube;
  /** The stack namespace, if the stack was deployed (or its deploy was attempted). */
  readonly namespace?: string;
  /** The diagnostics collector. */
  readonly collect: CollectDiagnostics;
}

/** Collects what it can; each part that fails becomes a warning, never an error. */
export async function collectRunEvidence(sources: EvidenceSources): Promise<void> {
  const artifacts = join(sources.runDir, 'artifacts');
  await mkdir(artifacts, { recursive: true });
  const { kube, namespace, cluster } = sources;
  if (kube && namespace) {
    await attempt(sources, `diagnostics of namespace ${namespace}`, async () => {
      const dir = join(artifacts, namespace);
      const files = await sources.collect(kube, namespace, dir, { signal: sources.signal });
      for (const file of files) {
        const path = isAbsolute(file) ? file : join(dir, file);
        const name = relative(dir, path);
        sources.bus.emit({
          kind: 'artifact',
          path: relative(sources.runDir, path),
          contentType: contentTypeOf(path),
          title: `${namespace}: ${name}`,
        });
      }
    });
  }
  if (cluster) {
    await attempt(sources, `logs of cluster ${cluster.name}`, async () => {
      const dir = join(artifacts, 'cluster-logs');
      await cluster.exportLogs(dir, { signal: sources.signal });
      sources.bus.emit({
        kind: 'artifact',
        path: relative(sources.runDir, dir),
        contentType: 'inode/directory',
        title: `${cluster.provider} logs of cluster ${cluster.name}`,
      });
    });
  }
}

async function attempt(sources: EvidenceSources, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    sources.bus.emit({ kind: 'log', level: 'warn', message: `Could not collect ${what}: ${toEventError(error).message}` });
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.html': 'text/html',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.xml': 'application/xml',
};

/** Content type by file extension; logs, describe output and events are plain text. */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'text/plain';
}
