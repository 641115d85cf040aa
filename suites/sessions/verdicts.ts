// Verdicts on what browser sessions saw (records from `sessions.ts`): which sessions switched pods or
// lacked the sticky cookie, whether the sessions together reached more than one pod, and whether each
// stream websocket was upgraded and held. Pure functions: every problem is one sentence naming the session.
import { STICKY_COOKIE, STREAM_PATH, type SessionRecord } from '../../lib/browser/session-records.ts';

/** Figures of one observation, for metrics. */
export interface SessionFigures {
  /** Sessions observed. */
  sessions: number;
  /** Reloads per session (the most any session did). */
  reloads: number;
  /** Different pods that served some load. */
  podsReached: number;
  /** Shortest websocket hold of any session, seconds. */
  minHeldSeconds: number;
  /** Slowest load until the pod was shown, ms. */
  slowestLoadMs: number;
}

const MISSING_AFFINITY = `sticky cookie ${STICKY_COOKIE} is not set — affinity is missing on the Service/Ingress`;

/** The pods that served `session`, in order of its loads, each run of repeats shown once. */
export function podSequence(session: SessionRecord): string[] {
  const pods = session.loads.flatMap((load) => (load.pod ? [load.pod] : []));
  return pods.filter((pod, i) => pod !== pods[i - 1]);
}

/** Every pod that served some load of `sessions`, in order of first appearance. */
export function podsReached(sessions: readonly SessionRecord[]): string[] {
  return [...new Set(sessions.flatMap((s) => s.loads.flatMap((l) => (l.pod ? [l.pod] : []))))];
}

/**
 * Why the sessions did not each stay on one pod: too few sessions, loads that showed no pod, switches
 * between pods (with the cookie's part in it), a missing sticky cookie, a re-assigned cookie, and a
 * re-attach that showed another workspace. Empty when all is well.
 */
export function stickinessProblems(sessions: readonly SessionRecord[], minSessions: number): string[] {
  const problems: string[] = [];
  if (sessions.length < minSessions)
    problems.push(`only ${sessions.length} browser sessions were observed; at least ${minSessions} are needed`);
  for (const session of sessions) problems.push(...sessionProblems(session));
  return problems;
}

function sessionProblems(session: SessionRecord): string[] {
  const who = `session ${session.id}`;
  const problems = session.loads
    .filter((load) => load.pod === null)
    .map((load) => `${who}: the ${load.label} did not name the serving pod (${load.error ?? 'no installation id on its stream'})`);
  for (const load of session.loads) {
    if (load.workspacePod && load.pod && load.workspacePod !== load.pod) {
      problems.push(
        `${who}: the ${load.label}'s stream came from ${load.pod}, but its new workspace ${load.workspace ?? ''} was made by ${load.workspacePod}`,
      );
    }
  }
  const pods = podSequence(session);
  if (pods.length > 1) {
    const cause =
      session.cookie === null
        ? MISSING_AFFINITY
        : `although it held sticky cookie ${STICKY_COOKIE}=${session.cookie} — the ingress does not honour it`;
    problems.push(`${who} was served by ${pods.join(' then ')} across reloads and re-attach: ${cause}`);
  } else if (session.cookie === null) {
    problems.push(`${who} stayed on ${pods[0] ?? 'no pod'} only by chance: ${MISSING_AFFINITY}`);
  }
  const assigned = [...new Set(session.loads.flatMap((load) => load.cookiesSet))];
  if (assigned.length > 1)
    problems.push(`${who} was given ${STICKY_COOKIE}=${assigned.join(', then ')}: the ingress re-assigned the session`);
  problems.push(...reattachProblems(session));
  return problems;
}

function reattachProblems(session: SessionRecord): string[] {
  const asked = session.loads.find((load) => load.kind === 'first')?.workspace;
  const shown = session.loads.find((load) => load.kind === 'reattach');
  if (!asked || !shown?.pod || shown.workspace === asked) return [];
  return [`session ${session.id} re-attached workspace ${asked} but was shown ${shown.workspace ?? 'no workspace'}`];
}

/**
 * Why the sessions do not test stickiness: together they reached fewer than two of the Ready web pods
 * (a session can only switch pods when there is another pod to switch to). Empty when they reached two.
 */
export function reachProblems(sessions: readonly SessionRecord[], readyPods: readonly string[]): string[] {
  const reached = podsReached(sessions);
  if (readyPods.length < 2)
    return [`only ${readyPods.length} Ready web pod (${readyPods.join(', ') || 'none'}): stickiness needs at least 2`];
  if (reached.length >= 2) return [];
  const missed = readyPods.filter((pod) => !reached.includes(pod));
  return [
    `all ${sessions.length} browser sessions were served by ${reached[0] ?? 'no pod'} alone, never by ${missed.join(', ')}: ` +
      'stickiness is untested — the ingress sends new sessions to one pod only',
  ];
}

/**
 * Why a session's stream websocket was not upgraded and held: none opened, no frame ever received (no
 * upgrade), closed before the hold ended, an error, or no frame during the hold. Empty when all held.
 */
export function websocketProblems(sessions: readonly SessionRecord[], holdMs: number): string[] {
  const seconds = Math.round(holdMs / 1000);
  return sessions.flatMap((session) => {
    const who = `session ${session.id}`;
    const hold = session.hold;
    if (hold.url === null) return [`${who}: ${hold.error ?? `no ${STREAM_PATH} websocket was opened`}`];
    if (hold.framesBefore + hold.framesDuring === 0) {
      const reason = session.sockets.find((socket) => socket.url === hold.url && socket.error)?.error;
      return [`${who}: the ${STREAM_PATH} websocket received no frame — it was not upgraded${reason ? ` (${reason})` : ''}`];
    }
    if (hold.error) return [`${who}: the ${STREAM_PATH} websocket failed during the ${seconds} s hold: ${hold.error}`];
    if (!hold.held)
      return [`${who}: the ${STREAM_PATH} websocket closed after ${(hold.heldMs / 1000).toFixed(1)} s, before the ${seconds} s hold ended`];
    if (hold.framesDuring === 0)
      return [`${who}: the ${STREAM_PATH} websocket stayed open ${seconds} s but no frame arrived — the stream stalled`];
    return [];
  });
}

/** Figures of `sessions` for metrics. */
export function sessionFigures(sessions: readonly SessionRecord[]): SessionFigures {
  const loads = sessions.flatMap((s) => s.loads);
  return {
    sessions: sessions.length,
    reloads: Math.max(0, ...sessions.map((s) => s.loads.filter((l) => l.kind === 'reload').length)),
    podsReached: podsReached(sessions).length,
    minHeldSeconds: sessions.length === 0 ? 0 : Math.min(...sessions.map((s) => (s.hold.held ? s.hold.heldMs : 0))) / 1000,
    slowestLoadMs: Math.max(0, ...loads.map((l) => l.ms)),
  };
}
