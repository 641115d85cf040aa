// A checkout of the OpenMS streamlit-template repository: how to recognise one, the content key of
// the image `image build --openms-source` makes from it, and the image overrides a run of a kustomize
// directory inside that checkout gets without the user naming images.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { contextFiles } from './source-identity.ts';

/** The image upstream's manifests run (k8s/overlays/prod names it with tag main-full). */
export const TEMPLATE_IMAGE = 'ghcr.io/openms/streamlit-template';
/** The local repository of images built from a checkout; the tag is the checkout's content key. */
export const TEMPLATE_LOCAL_REPOSITORY = 'mip-verify.local/openms-template';
/** The Redis image a template stack gets on a cluster without a registry (built by `image build`). */
export const LOCAL_REDIS_IMAGE = 'mip-verify.local/redis:latest';

/** Files a checkout must have to be built the way upstream builds it. */
const MARKERS = ['Dockerfile', 'requirements.txt', 'app.py', 'settings.json', 'src/workflow/tasks.py', 'src/workflow/QueueManager.py'];

const here = dirname(fileURLToPath(import.meta.url));
/** The build's own files: editing any of them makes a new image. */
export const TEMPLATE_BUILD_FILES: readonly string[] = [
  join(here, '../cluster/offline/openms-template.sh'),
  join(here, '../drivers/openms-driver.py'),
  join(here, '../../fixtures/images/rootfs-kit.sh'),
];

/** What `dir` lacks to be a template checkout (empty when it is one). */
export async function checkoutGaps(dir: string): Promise<string[]> {
  const gaps: string[] = [];
  for (const marker of MARKERS) {
    if (
      !(await stat(join(dir, marker)).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      gaps.push(marker);
  }
  if (!gaps.includes('Dockerfile')) {
    const dockerfile = await readFile(join(dir, 'Dockerfile'), 'utf8');
    if (!/^FROM\s+\S+\s+AS\s+run-app\s*$/im.test(dockerfile)) gaps.push("a 'run-app' stage in Dockerfile");
  }
  return gaps;
}

/** The template checkout holding `path` (itself or up to four folders above), if any. */
export async function enclosingCheckout(path: string): Promise<string | undefined> {
  let dir = resolve(path);
  for (let depth = 0; depth < 5; depth += 1) {
    if ((await checkoutGaps(dir)).length === 0) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * The template checkout a kustomize directory deploys: the one holding it, or else the one holding a
 * directory it lists under `resources` (an overlay of your own on top of the checkout's), searched
 * `depth` levels down.
 */
export async function stackCheckout(dir: string, depth = 3): Promise<string | undefined> {
  const holding = await enclosingCheckout(dir);
  if (holding || depth === 0) return holding;
  for (const resource of await kustomizationResources(dir)) {
    const found = await stackCheckout(resolve(dir, resource), depth - 1);
    if (found) return found;
  }
  return undefined;
}

/** The `resources` entries of the directory's kustomization that name directories. */
async function kustomizationResources(dir: string): Promise<string[]> {
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const parsed: unknown = parse(text);
    const resources = typeof parsed === 'object' && parsed !== null && 'resources' in parsed ? parsed.resources : undefined;
    const entries = Array.isArray(resources) ? resources.filter((r): r is string => typeof r === 'string') : [];
    const dirs = await Promise.all(
      entries.map(async (r) =>
        (await stat(resolve(dir, r)).then(
          (s) => s.isDirectory(),
          () => false,
        ))
          ? r
          : undefined,
      ),
    );
    return dirs.filter((r): r is string => r !== undefined);
  }
  return [];
}

/** Short hash of every file of the checkout (but .git) and of the build's own files. */
export async function checkoutKey(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((file) => !file.split('/').some((part) => part === '.git' || part === '__pycache__'))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(await readFile(join(dir, file)));
  for (const file of TEMPLATE_BUILD_FILES) hash.update(await readFile(file));
  return hash.digest('hex').slice(0, 12);
}

/** The checkout's files openms-template.sh sends to `docker build`: all but `.git`, less what its .dockerignore excludes. */
export function templateContextFiles(dir: string): Promise<string[]> {
  return contextFiles(dir, (name) => name === '.git');
}

/** The image `image build --openms-source <dir>` makes from this checkout. */
export async function checkoutImage(dir: string): Promise<string> {
  return `${TEMPLATE_LOCAL_REPOSITORY}:${await checkoutKey(dir)}`;
}

/** Image overrides for a stack inside a template checkout, and why, or why they cannot be given. */
export type CheckoutImages =
  | { kind: 'none' }
  | { kind: 'built'; checkout: string; images: Record<string, string>; notes: string[] }
  | { kind: 'missing'; checkout: string; image: string };

/**
 * When `source` deploys a template checkout (see stackCheckout) and the user named no image for upstream's, the image
 * built from that checkout (and the local Redis image, unless named too); `missing` when none was built.
 */
export async function checkoutImages(
  source: string,
  given: Readonly<Record<string, string>>,
  imageExists: (ref: string) => Promise<boolean>,
): Promise<CheckoutImages> {
  if (given[TEMPLATE_IMAGE] !== undefined) return { kind: 'none' };
  const checkout = await stackCheckout(source);
  if (!checkout) return { kind: 'none' };
  const image = await checkoutImage(checkout);
  if (!(await imageExists(image))) return { kind: 'missing', checkout, image };
  const images: Record<string, string> = { [TEMPLATE_IMAGE]: image };
  const notes = [`${TEMPLATE_IMAGE} → ${image}: the image built from the checkout ${checkout} (image build --openms-source)`];
  const gaps = describeMissingScripts(checkout, await missingScripts(checkout));
  if (gaps) notes.push(gaps);
  if (given.redis === undefined && (await imageExists(LOCAL_REDIS_IMAGE))) {
    images.redis = LOCAL_REDIS_IMAGE;
    notes.push(`redis → ${LOCAL_REDIS_IMAGE}: Debian's redis-server, built by image build (no registry to pull redis from)`);
  }
  return { kind: 'built', checkout, images, notes };
}

/** A script the checkout's workflows run with `run_python` that the checkout does not have. */
export interface MissingScript {
  /** Where upstream's CommandExecutor looks for it (src/python-tools/<name>.py). */
  script: string;
  /** The file that runs it. */
  caller: string;
}

/**
 * Scripts the checkout's workflow code runs through `self.executor.run_python("<name>", ...)` that are
 * not in src/python-tools/: a workflow reaching that step fails (an export that honours the
 * repository's .gitignore, whose `python*` pattern matches python-tools/, leaves the folder out).
 */
export async function missingScripts(dir: string): Promise<MissingScript[]> {
  const src = join(dir, 'src');
  const entries = await readdir(src, { recursive: true, withFileTypes: true }).catch(() => []);
  const missing: MissingScript[] = [];
  for (const entry of entries.filter((e) => e.isFile() && e.name.endsWith('.py'))) {
    const file = join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/run_python\(\s*["']([\w.-]+)["']/g)) {
      const name = match[1] ?? '';
      const script = join('src', 'python-tools', name.endsWith('.py') ? name : `${name}.py`);
      const present = await stat(join(dir, script)).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!present && !missing.some((m) => m.script === script)) missing.push({ script, caller: relative(dir, file) });
    }
  }
  return missing.sort((a, b) => a.script.localeCompare(b.script));
}

/** One sentence on the scripts a checkout lacks, or undefined when it lacks none. */
export function describeMissingScripts(checkout: string, missing: readonly MissingScript[]): string | undefined {
  if (missing.length === 0) return undefined;
  const list = missing.map((m) => `${m.script} (run by ${m.caller})`).join(', ');
  return `the checkout ${checkout} lacks ${list}: a workflow fails at the step that runs it; restore src/python-tools from the repository`;
}
