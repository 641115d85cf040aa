// Whether a workspace's params.json outlives the web pod that served it. The app writes a default
// params.json whenever a session attaches to a workspace that is missing, so an unchanged default would
// "survive" even a workspace that was lost and re-created; the check therefore first stores a value of
// its own in params.json (the driver's set-param, as a user's parameter change does upstream), and looks
// for that value after.
import { isDeepStrictEqual } from 'node:util';

/** Key under which the check stores its own value in params.json. */
export const MARKER_KEY = 'mip-verify-chaos-marker';

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
