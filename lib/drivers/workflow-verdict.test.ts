import { expect } from 'chai';
import type { WorkflowStatus } from './openms.ts';
import { workflowProblems } from './workflow-verdict.ts';

const good: WorkflowStatus = {
  workspace: 'ws1',
  job_id: 'workflow-topp-workflow-1-abc',
  status: 'finished',
  running: false,
  result: { success: true },
  worker_host: 'rq-worker-1',
  log: { started: true, finished: true, cancelled: false, error: false, outcome: 'finished' },
  results: ['file-info/a.txt', 'summary.json'],
  pids: [],
};
const expected = ['file-info/a.txt', 'summary.json'];

describe('workflowProblems', () => {
  it('finds nothing wrong with a finished workflow that left its results on a worker', () => {
    expect(workflowProblems(good, expected, ['rq-worker-1'])).to.deep.equal([]);
  });

  it('sees through upstream\'s "finished" that is a failure: success=false, an ERROR marker, missing results', () => {
    const failed: WorkflowStatus = {
      ...good,
      result: { success: false, error: 'FeatureFinderMetabo exited with code 1' },
      log: { started: true, finished: false, cancelled: false, error: true, outcome: 'error' },
      results: ['file-info/a.txt'],
    };
    expect(workflowProblems(failed, expected)).to.deep.equal([
      'workspace ws1: RQ says finished but the result says success=false (FeatureFinderMetabo exited with code 1)',
      'workspace ws1: logs/minimal.log lacks the WORKFLOW FINISHED marker (outcome error)',
      'workspace ws1: logs/minimal.log reports an ERROR',
      'workspace ws1: result files missing: summary.json (found: file-info/a.txt)',
    ]);
  });

  it('names a local run: no job id, pid files, and a host that is not a worker', () => {
    const local: WorkflowStatus = { ...good, job_id: null, pids: ['4242'], result: { success: true }, worker_host: 'streamlit-0' };
    expect(workflowProblems(local, expected, ['rq-worker-1'])).to.deep.equal([
      'workspace ws1: has no .job_id: the workflow did not go through the RQ queue (local fallback?)',
      'workspace ws1: subprocess pid files left in pids/: 4242',
      'workspace ws1: ran on streamlit-0, not on a worker pod (rq-worker-1)',
    ]);
  });

  it('gives the last line of the RQ error of a failed job', () => {
    const failed: WorkflowStatus = { ...good, status: 'failed', result: null, error: 'Traceback...\nrq.job.AbandonedJobError: abandoned' };
    expect(workflowProblems(failed, [])[0]).to.equal(
      'workspace ws1: RQ status is failed, not finished (rq.job.AbandonedJobError: abandoned)',
    );
  });

  it("quotes the log's ERROR lines and fails a finished run whose linking found no consensus feature", () => {
    const noFeatures: WorkflowStatus = {
      ...good,
      consensus_features: 0,
      log: { ...good.log, error: true, errors: ['ERROR: Script file not found: export_consensus_feature_df.py'] },
    };
    expect(workflowProblems(noFeatures, expected, ['rq-worker-1'])).to.deep.equal([
      'workspace ws1: logs/minimal.log reports "ERROR: Script file not found: export_consensus_feature_df.py"',
      'workspace ws1: feature linking found no consensus feature',
    ]);
  });
});
