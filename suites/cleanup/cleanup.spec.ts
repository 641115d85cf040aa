// cleanup: the workspace-cleanup CronJob, run now as a Job, removes stale workspaces (ages set by mtime)
// and keeps fresh ones, including a user's workspace from an hour ago; schedule and policy are reported.
import { expect } from 'chai';
import { formatDuration } from '../../lib/wait.ts';
import { harness, jobComplete } from '../../lib/suite.ts';
import { cronJobEnv, deleteJob, findCronJob, jobLogs, runCronJobNow, type CronJob } from '../../lib/k8s/cronjobs.ts';
import { readinessChecks } from '../shared/readiness.ts';
import { expectNoProblems, OPENMS_LAYOUT, openmsOnly } from '../shared/openms-stack.ts';

/** Ages of the fresh workspaces: just created, and an hour old (a user's active workspace). */
const FRESH_AGES_S = [0, 3600];
/** How far past the threshold the stale workspaces are. */
const STALE_MARGIN_S = 86400;

describe('cleanup', function () {
  const h = harness(this);
  let cronJob: CronJob | undefined;

  readinessChecks(h);

  it('the workspace-cleanup CronJob exists, is not suspended, and reports its schedule and concurrency policy', async () => {
    openmsOnly(h, 'cleanup suite');
    const found = await h.step(`a CronJob named *${OPENMS_LAYOUT.cleanupCronJob} exists`, () =>
      findCronJob(h.kube, h.stack.spec.namespace, OPENMS_LAYOUT.cleanupCronJob, h.signal),
    );
    cronJob = found;
    const spec = found.spec;
    const threshold = thresholdOf(found);
    await h.step(
      `schedule "${spec?.schedule ?? '?'}", concurrencyPolicy ${spec?.concurrencyPolicy ?? 'Allow (default)'}, ` +
        `threshold ${formatDuration(threshold.seconds * 1000)} (${threshold.source})`,
      () => undefined,
    );
    h.metric('cleanup threshold', threshold.seconds, 's');
    expect(spec?.suspend ?? false, `CronJob ${found.metadata?.name ?? '?'} is suspended`).to.equal(false);
    expect(spec?.schedule, `schedule of CronJob ${found.metadata?.name ?? '?'}`).to.be.a('string').and.not.be.empty;
  });

  it('a Job from the CronJob removes stale workspaces, keeps fresh ones and completes', async () => {
    const driver = openmsOnly(h, 'cleanup suite');
    const source = cronJob ?? (await findCronJob(h.kube, h.stack.spec.namespace, OPENMS_LAYOUT.cleanupCronJob, h.signal));
    const threshold = thresholdOf(source).seconds;
    const tag = Date.now().toString(36);
    const wanted = [
      ...[1, 2].map((n) => ({ name: `mip-verify-stale-${n}-${tag}`, age: threshold + STALE_MARGIN_S * n, stale: true })),
      ...FRESH_AGES_S.map((age, n) => ({ name: `mip-verify-fresh-${n + 1}-${tag}`, age, stale: false })),
    ];
    await h.step(
      `${wanted.length} workspaces created and aged (${wanted.map((w) => formatDuration(w.age * 1000)).join(', ')})`,
      async () => {
        for (const w of wanted) {
          await driver.createWorkspace({ id: w.name, signal: h.signal });
          if (w.age > 0) await driver.setAge(w.name, w.age, { signal: h.signal });
        }
      },
    );
    const jobName = `${(source.metadata?.name ?? 'cleanup').slice(0, 40)}-mip-verify-${tag}`;
    const namespace = h.stack.spec.namespace;
    h.teardown.defer(`delete job/${jobName}`, (signal) => deleteJob(h.kube, namespace, jobName, signal).then(() => undefined));
    await h.step(`job/${jobName} created from cronjob/${source.metadata?.name ?? '?'}`, () =>
      runCronJobNow(h.kube, source, jobName, h.signal),
    );
    const done = await h.step(`job/${jobName} completes`, () =>
      h.waitFor(jobComplete(h.kube, namespace, jobName), { within: h.config.timeouts.ready }),
    );
    h.metric('cleanup job duration', done.elapsedMs, 'ms', 1000);
    h.saveArtifact('cleanup-job.log', await jobLogs(h.kube, namespace, jobName, h.signal), `log of job/${jobName}`);
    const left = new Set((await driver.workspaces({ signal: h.signal })).map((w) => w.name));
    const problems = [
      ...wanted
        .filter((w) => w.stale && left.has(w.name))
        .map((w) => `stale workspace ${w.name} (age ${formatDuration(w.age * 1000)}) was kept`),
      ...wanted
        .filter((w) => !w.stale && !left.has(w.name))
        .map((w) => `fresh workspace ${w.name} (age ${formatDuration(w.age * 1000)}) was deleted`),
    ];
    const policy = `threshold ${formatDuration(threshold * 1000)} from ${thresholdOf(source).source}`;
    expectNoProblems(problems, `the cleanup Job (${policy}) got workspaces wrong`);
  });
});

/** The age after which the cleanup script deletes a workspace: MAX_AGE_SECONDS of the job, else the script's 7 days. */
function thresholdOf(cronJob: CronJob): { seconds: number; source: string } {
  const raw = cronJobEnv(cronJob, 'MAX_AGE_SECONDS');
  const seconds = raw === undefined ? NaN : Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return { seconds, source: `MAX_AGE_SECONDS=${raw ?? ''}` };
  return { seconds: OPENMS_LAYOUT.defaultCleanupAgeSeconds, source: 'the script default of 7 days' };
}
