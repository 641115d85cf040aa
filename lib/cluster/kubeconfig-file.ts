// Reads a kubeconfig the user named and says in one sentence what is wrong with it, never quoting its
// content (a kubeconfig holds tokens and keys): not a file, empty, not text, not YAML, not a kubeconfig.
import { readFile, stat } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { isMap, parseDocument } from 'yaml';
import { ConfigError } from '../errors.ts';

const HINT = 'pass --kubeconfig with a kubeconfig file (kubectl config view --raw writes one)';

/** The loaded kubeconfig, or a ConfigError naming the file and what is wrong with it. */
export async function loadKubeconfig(path: string): Promise<KubeConfig> {
  const refuse = (why: string): never => {
    throw new ConfigError(`kubeconfig '${path}' ${why}`, HINT);
  };
  const text = await readText(path, refuse);
  const document = parseDocument(text, { prettyErrors: true });
  const yamlError = document.errors[0];
  if (yamlError)
    refuse(`is not valid YAML${yamlError.linePos ? ` (line ${yamlError.linePos[0].line}, column ${yamlError.linePos[0].col})` : ''}`);
  if (!isMap(document.contents)) refuse('is not a kubeconfig: it holds no mapping of clusters, contexts and users');
  const fields = document.toJS() as Record<string, unknown>;
  if (!['clusters', 'contexts', 'users'].some((key) => Array.isArray(fields[key])))
    refuse('is not a kubeconfig: it has no clusters, contexts or users');
  const config = new KubeConfig();
  try {
    config.loadFromString(text);
  } catch (error) {
    // The library's first line names the field; later lines may quote the file.
    const line = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 160) ?? 'unknown error';
    refuse(`is not a valid kubeconfig (${line})`);
  }
  return config;
}

async function readText(path: string, refuse: (why: string) => never): Promise<string> {
  const unreadable = (error: NodeJS.ErrnoException): never => refuse(`is not readable (${error.code ?? 'unreadable'})`);
  const info = await stat(path).catch(unreadable);
  if (!info.isFile()) refuse(info.isDirectory() ? 'is a directory, not a file' : 'is not a regular file');
  const bytes = await readFile(path).catch(unreadable);
  if (bytes.length === 0) refuse('is empty');
  return utf8(bytes) ?? refuse('is not a text file');
}

function utf8(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
