// Judging a workflow by what it left, not only by RQ's word: upstream's tasks.py returns
// {"success": False} on failure, which RQ records as *finished*; so the result, the log markers and
// `ERROR` lines, the result files and the consensus features found are read too, and where it ran (the
// host of RQ's worker record: a worker pod, not the web pod's local fallback).
import type { WorkflowStatus } from './openms.ts';

type Rule = (status: WorkflowStatus, expected: readonly string[], workerPods?: readonly string[]) => string | undefined;

const RULES: readonly Rule[] = [
  (s) => (s.job_id ? undefined : 'has no .job_id: the workflow did not go through the RQ queue (local fallback?)'),
  (s) => (s.status === 'finished' ? undefined : `RQ status is ${s.status}, not finished${s.error ? ` (${lastLine(s.error)})` : ''}`),
  (s) =>
    s.result?.success === false
      ? `RQ says finished but the result says success=false${s.result.error ? ` (${firstLine(s.result.error)})` : ''}`
      : undefined,
  (s) => (s.log.started ? undefined : 'logs/minimal.log lacks the STARTING WORKFLOW marker'),
  (s) => (s.log.finished ? undefined : `logs/minimal.log lacks the WORKFLOW FINISHED marker (outcome ${s.log.outcome})`),
  (s) =>
    s.log.error
      ? `logs/minimal.log reports ${s.log.errors?.length ? s.log.errors.map((line) => `"${line}"`).join(', ') : 'an ERROR'}`
      : undefined,
  (s, expected) => {
    const missing = expected.filter((file) => !s.results.includes(file));
    return missing.length === 0 ? undefined : `result files missing: ${missing.join(', ')} (found: ${s.results.join(', ') || 'none'})`;
  },
  (s) => (s.status === 'finished' && s.consensus_features === 0 ? 'feature linking found no consensus feature' : undefined),
  (s) => (s.pids.length === 0 ? undefined : `subprocess pid files left in pids/: ${s.pids.join(', ')}`),
  (s, _expected, workerPods) => {
    const host = s.worker_host;
    if (!workerPods || s.status !== 'finished' || (typeof host === 'string' && workerPods.includes(host))) return undefined;
    return `ran on ${host ?? 'an unknown host'}, not on a worker pod (${workerPods.join(', ') || 'none'})`;
  },
];

/**
 * What is wrong with a finished workflow, one sentence each naming the workspace; empty when it
 * succeeded: RQ finished it, its result says success, the log has the start and finish markers and no
 * ERROR, every expected result file exists, linking found consensus features, no subprocess is left, and
 * it ran on one of `workerPods`.
 */
export function workflowProblems(status: WorkflowStatus, expected: readonly string[], workerPods?: readonly string[]): string[] {
  return RULES.map((rule) => rule(status, expected, workerPods))
    .filter((problem): problem is string => problem !== undefined)
    .map((problem) => `workspace ${status.workspace}: ${problem}`);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? text;
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? text;
}
