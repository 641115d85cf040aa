// Where mip-verify keeps things outside the repository: the build cache and the tools it built.
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the project checkout (where package.json is). */
export const projectRoot: string = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The cache directory: `$MIP_VERIFY_CACHE`, else `$XDG_CACHE_HOME/mip-verify`, else `~/.cache/mip-verify`. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.MIP_VERIFY_CACHE) return resolve(env.MIP_VERIFY_CACHE);
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(base, 'mip-verify');
}

/** Directory holding the tools `mip-verify image build` produced (kind, helm, k6, kubectl). */
export function toolBinDir(env: NodeJS.ProcessEnv): string {
  return join(cacheDir(env), 'bin');
}

/** PATH with the built tools first, so they win over whatever else is installed. */
export function toolPath(env: NodeJS.ProcessEnv): string {
  return [toolBinDir(env), env.PATH ?? ''].filter(Boolean).join(delimiter);
}
