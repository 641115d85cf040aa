// An Exaflow checkout as the source of the real engine's three images: what it must hold (upstream's
// Dockerfiles, pyproject.toml, poetry.lock), a key of its contents, what each Dockerfile asks for (the
// CPython minor version of its FROM, the poetry groups its builder stage installs, its final stage) and
// the CPython of that minor version on the build host. Nothing here changes anything.
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { ConfigError, HarnessError } from '../../errors.ts';

/** The three images of Exaflow, each built by its own Dockerfile in the checkout. */
export const EXAFLOW_ROLES = [
  { role: 'controller', image: 'exaflow_controller', dockerfile: 'exaflow/controller/Dockerfile' },
  { role: 'worker', image: 'exaflow_worker', dockerfile: 'exaflow/worker/Dockerfile' },
  { role: 'aggregation_server', image: 'exaflow_aggregation_server', dockerfile: 'exaflow/aggregation_server/Dockerfile' },
] as const;

/** One of the three roles. */
export type ExaflowRole = (typeof EXAFLOW_ROLES)[number]['role'];

/** What one upstream Dockerfile asks for. */
export interface RoleRecipe {
  /** Which image. */
  readonly role: ExaflowRole;
  /** Image name as the chart writes it (`exaflow_worker`). */
  readonly image: string;
  /** The Dockerfile, relative to the checkout. */
  readonly dockerfile: string;
  /** Poetry groups its builder stage installs (`main`, `worker`). */
  readonly groups: readonly string[];
  /** CPython minor version of its FROM (`3.10`). */
  readonly python: string;
  /** Its final stage, FROM the base named by build argument EXAFLOW_BASE, without the copy from the builder stage. */
  readonly finalStage: string;
}

/** A checkout that can be built. */
export interface ExaflowCheckout {
  /** Absolute, symlinks resolved. */
  readonly dir: string;
  /** Short hash of everything the images are made of (sources, lock, Dockerfiles). */
  readonly key: string;
  /** The three recipes. */
  readonly roles: readonly RoleRecipe[];
}

const HINT =
  'Pass --exaflow-source with the directory of a clone of github.com/madgik/exaflow (the deployment guide clones it to /opt/exaflow).';
const REQUIRED = ['pyproject.toml', 'poetry.lock', ...EXAFLOW_ROLES.map((r) => r.dockerfile)];

/** Reads and checks a checkout; ConfigError naming the directory and what it lacks. */
export async function readExaflowCheckout(path: string): Promise<ExaflowCheckout> {
  const given = resolve(path);
  const isDir = await stat(given).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new ConfigError(`--exaflow-source '${path}' is not a directory.`, HINT);
  const dir = await realpath(given);
  const missing: string[] = [];
  for (const file of REQUIRED)
    if (
      !(await stat(join(dir, file)).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      missing.push(file);
  if (missing.length > 0) throw new ConfigError(`'${path}' is not an Exaflow checkout: it has no ${missing.join(', ')}.`, HINT);
  const project = await readFile(join(dir, 'pyproject.toml'), 'utf8');
  if (!/^\s*name\s*=\s*"exaflow"\s*$/m.test(project))
    throw new ConfigError(`'${path}' is not an Exaflow checkout: its pyproject.toml does not name the project "exaflow".`, HINT);
  const roles: RoleRecipe[] = [];
  for (const role of EXAFLOW_ROLES)
    roles.push({ ...role, ...parseDockerfile(await readFile(join(dir, role.dockerfile), 'utf8'), join(path, role.dockerfile)) });
  return { dir, key: await checkoutKey(dir), roles };
}

/** The CPython minor version, poetry groups and final stage of an upstream Dockerfile; ConfigError naming it when it has none. */
export function parseDockerfile(text: string, where: string): Pick<RoleRecipe, 'groups' | 'python' | 'finalStage'> {
  const lines = text.split('\n');
  const froms = lines.flatMap((line, index) => (/^\s*FROM\s/i.test(line) ? [index] : []));
  const first = lines[froms[0] ?? -1] ?? '';
  const python = /FROM\s+python:(\d+\.\d+)/i.exec(first)?.[1];
  const install = /poetry install((?:\s+--only\s+[\w-]+)+)/.exec(text)?.[1];
  if (froms.length < 2 || python === undefined || install === undefined) {
    throw new ConfigError(
      `${where} is not the multi-stage Dockerfile expected (FROM python:<version> builder stage running poetry install --only <groups>, then a final stage).`,
      HINT,
    );
  }
  const groups = [...install.matchAll(/--only\s+([\w-]+)/g)].map((m) => m[1] ?? '');
  const stage = lines.slice(froms.at(-1)).filter((line) => !/^\s*COPY\s+--from=/i.test(line));
  stage[0] = 'FROM ${EXAFLOW_BASE}';
  return { groups, python, finalStage: ['ARG EXAFLOW_BASE', ...stage].join('\n') };
}

/** The checkout's files exaflow-images.sh sends to `docker build`: the `exaflow` package (bytecode aside), pyproject.toml and poetry.lock. */
export async function exaflowContextFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'exaflow'), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.parentPath.split('/').includes('__pycache__') && !e.name.endsWith('.pyc'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .concat('pyproject.toml', 'poetry.lock')
    .sort();
}

/** Short hash of the checkout's files the images are made of (exaflowContextFiles). */
export async function checkoutKey(dir: string, extra: readonly string[] = []): Promise<string> {
  const hash = createHash('sha256');
  for (const part of extra) hash.update(`${part}\0`);
  for (const file of await exaflowContextFiles(dir)) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(dir, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** Runs `pyenv root`; undefined when pyenv is not installed. */
export type PyenvRoot = () => Promise<string | undefined>;

/** The prefix of a CPython `minor` on this machine (pyenv's newest patch release of it); HarnessError (exit 3) saying how to get one. */
export async function findPython(minor: string, pyenvRoot: PyenvRoot): Promise<string> {
  const root = await pyenvRoot();
  const versions = root ? await readdir(join(root, 'versions')).catch(() => [] as string[]) : [];
  const candidates = versions.filter((v) => v.startsWith(`${minor}.`) && /^\d+\.\d+\.\d+$/.test(v)).sort((a, b) => patch(b) - patch(a));
  for (const version of candidates) {
    const prefix = join(root ?? '', 'versions', version);
    const usable = await Promise.all(
      [`bin/python${minor}`, `lib/python${minor}/os.py`].map((f) =>
        stat(join(prefix, f)).then(
          () => true,
          () => false,
        ),
      ),
    );
    if (usable.every(Boolean)) return prefix;
  }
  const looked = root ? `pyenv's versions in ${root} hold ${versions.join(', ') || 'none'}` : 'pyenv is not installed';
  throw new HarnessError(
    'prerequisite',
    `Exaflow's images need CPython ${minor} (its Dockerfiles and pyproject.toml pin it) and this machine has none to build them from: ${looked}.`,
    `Install it with pyenv (https://github.com/pyenv/pyenv): pyenv install ${minor}, then run the build again.`,
  );
}

function patch(version: string): number {
  return Number(version.split('.')[2]);
}
