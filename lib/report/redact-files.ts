// Masks secrets in the files a run wrote (pod logs, describe output, cluster logs, suite artifacts): text
// files are rewritten in place; binary files (screenshots, archives) are left as they are.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from './redact.ts';

/** Files larger than this are not read whole; they are listed instead, so the user knows they were not masked. */
const MAX_BYTES = 64 * 1024 * 1024;

/** Rewrites every text file under `dir` with its secrets masked; returns the files too large to mask. */
export async function redactFiles(dir: string, secrets: SecretStore): Promise<string[]> {
  const skipped: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await stat(path)).size > MAX_BYTES) {
      skipped.push(path);
      continue;
    }
    const bytes = await readFile(path);
    if (bytes.includes(0)) continue;
    const text = bytes.toString('utf8');
    const masked = secrets.text(text);
    if (masked !== text) await writeFile(path, masked);
  }
  return skipped;
}
