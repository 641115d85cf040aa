// What a sign-off names of an image built from a checkout (`image build --openms-source`/`--exaflow-source`):
// the checkout's commit, whether it had changes and its remote URL when it is a git work tree, and always a
// digest of the checkout's files the build sent. Written into the image as labels when it is built (metadata
// only: no file of the image changes), read back from the image a run loads into the nodes.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
// A CommonJS module whose factory is also its own `default`, the name TypeScript types it under.
import dockerignore from '@balena/dockerignore';
import { runTool } from '../exec.ts';
import type { ImageSource } from '../report/events.ts';

/** The labels an image built from a checkout carries: OCI's standard ones and the project's own. */
export const SOURCE_LABELS = {
  revision: 'org.opencontainers.image.revision',
  url: 'org.opencontainers.image.source',
  digest: 'io.mip-verify.source-digest',
  dirty: 'io.mip-verify.source-dirty',
} as const;

/** Runs git in `dir`: its trimmed stdout, or undefined when it fails (no git, not a work tree). */
export type Git = (dir: string, args: readonly string[]) => Promise<string | undefined>;

/** git of this machine; optional locks off, so reading the status never writes the checkout's index. */
export const runGit: Git = (dir, args) =>
  runTool('git', ['--no-optional-locks', '-C', dir, ...args]).then(
    (r) => r.stdout.trim(),
    () => undefined,
  );

/** The identity of a checkout: digest of `files` (relative to `dir`), plus commit, changes and remote URL when git knows `dir`. */
export async function checkoutIdentity(dir: string, files: readonly string[], git: Git = runGit): Promise<ImageSource> {
  const digest = await contentDigest(dir, files);
  if ((await git(dir, ['rev-parse', '--is-inside-work-tree'])) !== 'true') return { digest };
  const revision = await git(dir, ['rev-parse', '--verify', 'HEAD']);
  if (!revision) return { digest };
  // Changes below `dir` only; a status git cannot give counts as changed.
  const status = await git(dir, ['status', '--porcelain', '--', '.']);
  const url = await remoteUrl(dir, git);
  return { digest, revision, dirty: status !== '', ...(url ? { url } : {}) };
}

/** `sha256:<hex>` over the files in sorted order: each one's path, size and contents (a symlink: its target). */
export async function contentDigest(dir: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    const path = join(dir, file);
    if ((await lstat(path)).isSymbolicLink()) {
      hash.update(`${file}\0link\0${await readlink(path)}\0`);
      continue;
    }
    const contents = await readFile(path);
    hash.update(`${file}\0${contents.length}\0`).update(contents);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * The files (and symlinks) under `dir` that a `docker build` of it as the context sends, relative and
 * sorted: none below an entry whose name `skip` refuses (as `tar --exclude=NAME` leaves it out), none
 * that the context's `.dockerignore` excludes.
 */
export async function contextFiles(dir: string, skip: (name: string) => boolean = () => false): Promise<string[]> {
  const ignored = dockerIgnore(await readFile(join(dir, '.dockerignore'), 'utf8').catch(() => ''));
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      if (skip(entry.name)) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if ((entry.isFile() || entry.isSymbolicLink()) && !ignored(path)) files.push(path);
    }
  };
  await walk('');
  return files.sort();
}

/** A `.dockerignore` as Docker reads it (docker's own matching rules, `!` exceptions included): true for the paths the build does not send. */
export function dockerIgnore(text: string): (path: string) => boolean {
  const rules = dockerignore.default().add(text.split('\n'));
  return (path) => rules.ignores(path);
}

/** The checkout's remote URL (origin, else the first remote), with any user name and password of an http(s) URL removed. */
async function remoteUrl(dir: string, git: Git): Promise<string | undefined> {
  const first = (await git(dir, ['remote']))?.split('\n')[0];
  const name = (await git(dir, ['config', '--get', 'remote.origin.url'])) ? 'origin' : first;
  const url = name ? await git(dir, ['remote', 'get-url', name]) : undefined;
  return url ? withoutCredentials(url) : undefined;
}

/** `https://user:token@host/x` → `https://host/x`; other URLs (ssh, scp-like, paths) as they are, less a password. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The labels of an image built from a checkout, as `key=value` arguments of `docker build --label`. */
export function sourceLabels(source: ImageSource): string[] {
  const labels: string[] = [];
  if (source.revision)
    labels.push(`${SOURCE_LABELS.revision}=${source.revision}`, `${SOURCE_LABELS.dirty}=${String(source.dirty ?? false)}`);
  if (source.url) labels.push(`${SOURCE_LABELS.url}=${source.url}`);
  labels.push(`${SOURCE_LABELS.digest}=${source.digest}`);
  return labels;
}

/** The source an image's labels name; undefined when it was not built from a checkout (no digest label). */
export function sourceFromLabels(labels: Readonly<Record<string, string>> | null | undefined): ImageSource | undefined {
  const digest = labels?.[SOURCE_LABELS.digest];
  if (!labels || !digest) return undefined;
  const revision = labels[SOURCE_LABELS.revision];
  const url = labels[SOURCE_LABELS.url];
  return {
    digest,
    ...(revision ? { revision, dirty: labels[SOURCE_LABELS.dirty] === 'true' } : {}),
    ...(url ? { url } : {}),
  };
}

/** Whether an image's labels name exactly this source (a rebuild is due when they do not). */
export function labelsName(labels: Readonly<Record<string, string>> | null | undefined, source: ImageSource): boolean {
  const found = sourceFromLabels(labels);
  return (
    found !== undefined &&
    found.digest === source.digest &&
    found.revision === source.revision &&
    (found.revision === undefined || found.dirty === (source.dirty ?? false)) &&
    found.url === source.url
  );
}

/** The labels of a local image (`docker image inspect`); undefined when the engine has no image of that name. */
export async function imageLabels(ref: string): Promise<Record<string, string> | undefined> {
  return runTool('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', ref]).then(
    (r) => (JSON.parse(r.stdout.trim() || 'null') as Record<string, string> | null) ?? {},
    () => undefined,
  );
}
