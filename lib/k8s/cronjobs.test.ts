import { expect } from 'chai';
import type { V1CronJob } from '@kubernetes/client-node';
import { cronJobEnv, findCronJob, jobFromCronJob, MANUAL_ANNOTATION, runCronJobNow } from './cronjobs.ts';

const cronJob: V1CronJob = {
  metadata: { name: 'template-app-workspace-cleanup', namespace: 'openms', uid: 'u-1' },
  spec: {
    schedule: '0 3 * * *',
    jobTemplate: {
      metadata: { labels: { component: 'cleanup' } },
      spec: {
        template: {
          spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'i', env: [{ name: 'MAX_AGE_SECONDS', value: '60' }] }] },
        },
      },
    },
  },
};

describe('cronjobs', () => {
  it('builds the Job kubectl create job --from would: template spec, owner reference, manual annotation', () => {
    const job = jobFromCronJob(cronJob, 'cleanup-now');
    expect(job.metadata?.name).to.equal('cleanup-now');
    expect(job.metadata?.annotations?.[MANUAL_ANNOTATION]).to.equal('manual');
    expect(job.metadata?.labels).to.deep.equal({ component: 'cleanup' });
    expect(job.metadata?.ownerReferences?.[0]).to.include({
      kind: 'CronJob',
      name: 'template-app-workspace-cleanup',
      uid: 'u-1',
      controller: true,
    });
    expect(job.spec).to.equal(cronJob.spec?.jobTemplate.spec);
  });

  it("runs a CronJob now: creates that Job in the CronJob's namespace", async () => {
    const created: { namespace: string; name?: string }[] = [];
    const kube = {
      batch: {
        createNamespacedJob: (request: { namespace: string; body: { metadata?: { name?: string } } }) => {
          created.push({ namespace: request.namespace, name: request.body.metadata?.name });
          return Promise.resolve(request.body);
        },
      },
    } as never;
    await runCronJobNow(kube, cronJob, 'cleanup-now');
    expect(created).to.deep.equal([{ namespace: 'openms', name: 'cleanup-now' }]);
  });

  it('refuses a CronJob without a job template', () => {
    expect(() => jobFromCronJob({ metadata: { name: 'x' } }, 'y')).to.throw('CronJob x has no job template');
  });

  it('finds a CronJob by exact name or by the suffix an overlay prefix leaves', async () => {
    const kube = { batch: { listNamespacedCronJob: () => Promise.resolve({ items: [cronJob] }) } } as never;
    expect((await findCronJob(kube, 'openms', 'workspace-cleanup')).metadata?.name).to.equal('template-app-workspace-cleanup');
    await findCronJob(kube, 'openms', 'backup').then(
      () => expect.fail('should not find'),
      (error: Error) =>
        expect(error.message).to.equal(
          'no CronJob named backup (or *-backup) in namespace openms (CronJobs there: template-app-workspace-cleanup)',
        ),
    );
  });

  it('reads an env value of the job template', () => {
    expect(cronJobEnv(cronJob, 'MAX_AGE_SECONDS')).to.equal('60');
    expect(cronJobEnv(cronJob, 'OTHER')).to.equal(undefined);
  });
});
