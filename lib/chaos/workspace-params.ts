// Whether a workspace's params.json outlives the web pod that served it. The app writes a default
// params.json whenever a session attaches to a workspace that is missing, so an unchanged default would
// "survive" even a workspace that was lost and re-created; the check therefore first stores a value of
// its own in params.json, as a user's parameter change does upstream, and looks for that value after.
import { isDeepStrictEqual } from 'node:util';
import type { Stack } from '../stack/types.ts';

/** Key under which the check stores its own value in params.json. */
export const MARKER_KEY = 'mip-verify-chaos-marker';

// Runs in the app's directory of the web image, next to workspace.py (where the driver CLI runs too).
const SET_PARAM = [
  'import json, sys, workspace',
  'path = workspace.existing(sys.argv[1]) / "params.json"',
  'params = json.loads(path.read_text())',
  'params[sys.argv[2]] = sys.argv[3]',
  'path.write_text(json.dumps(params, indent=2))',
  'print(json.dumps(params))',
].join('\n');

/** Stores `key: value` in the workspace's params.json, in `pod`; returns the params.json then written. */
export async function setParam(
  stack: Pick<Stack, 'exec'>,
  target: { pod: string; workspace: string; key: string; value: string },
  signal: AbortSignal,
): Promise<unknown> {
  const stdout = await stack.exec(target.pod, ['python3', '-c', SET_PARAM, target.workspace, target.key, target.value], { signal });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as unknown;
}

/** How params.json was read after the kill: its content, or why it could not be read. */
export type ParamsAfter = { ok: true; params: unknown } | { ok: false; error: string };

/** What is wrong with params.json after the kill, in one sentence; undefined when it is what it was before. */
export function paramsProblem(
  where: { workspace: string; killedPod: string; readIn: string },
  before: unknown,
  after: ParamsAfter,
): string | undefined {
  const subject = `params.json of workspace ${where.workspace}`;
  const cause = 'workspaces are not on storage shared by the web pods';
  if (!after.ok) {
    return `${subject} is gone after web pod ${where.killedPod} was killed (read in pod ${where.readIn}: ${after.error}): ${cause}`;
  }
  if (isDeepStrictEqual(before, after.params)) return undefined;
  return (
    `${subject} lost its content after web pod ${where.killedPod} was killed ` +
    `(before: ${JSON.stringify(before)}; after, read in pod ${where.readIn}: ${JSON.stringify(after.params)}): ` +
    `the workspace was re-created empty, so ${cause}`
  );
}
