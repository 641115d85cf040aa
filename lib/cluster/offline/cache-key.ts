// Cache keys for the offline kit: a short hash of versions and of the script files a step runs,
// so editing a script or bumping a version rebuilds exactly the steps that depend on it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Short hex digest of strings and the contents of files (paths relative to `dir`). */
export async function cacheKey(dir: string, parts: readonly string[], files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part}\0`);
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(join(dir, file)));
  }
  return hash.digest('hex').slice(0, 12);
}
