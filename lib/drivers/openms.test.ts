import { expect } from 'chai';
import type { Stack } from '../stack/types.ts';
import { DriverError, openmsDriver } from './openms.ts';

interface Call {
  pod: string;
  command: readonly string[];
  input?: string;
}

const pod = (name: string, ready: boolean, deleting = false) => ({
  metadata: { name, deletionTimestamp: deleting ? new Date() : undefined },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

function fixture(reply: (command: readonly string[]) => string) {
  const calls: Call[] = [];
  const selectors: (string | undefined)[] = [];
  const stack = {
    spec: { name: 'openms', source: 's', namespace: 'ns', images: {} },
    exec: (podName: string, command: readonly string[], options: { input?: string }) => {
      calls.push({ pod: podName, command, ...(options.input !== undefined ? { input: options.input } : {}) });
      return Promise.resolve(reply(command));
    },
  } as unknown as Stack;
  const kube = {
    core: {
      listNamespacedPod: (query: { labelSelector?: string }) => {
        selectors.push(query.labelSelector);
        return Promise.resolve({ items: [pod('streamlit-b', true), pod('streamlit-a', false), pod('streamlit-c', true, true)] });
      },
    },
    apps: {
      listNamespacedDeployment: () =>
        Promise.resolve({
          items: [{ spec: { template: { spec: { containers: [{ name: 'w', command: ['rq', 'worker', '--worker-ttl', '60'] }] } } } }],
        }),
    },
  } as never;
  return { driver: openmsDriver(stack, kube), calls, selectors };
}

describe('openms driver', () => {
  it("sends its own script on stdin to the first Ready web pod not being deleted, run in the app's environment, and parses its JSON", async () => {
    const { driver, calls, selectors } = fixture(() => 'noise\n{"workspace": "w1", "path": "/x/w1"}\n');
    expect(await driver.createWorkspace({ id: 'w1' })).to.equal('w1');
    expect(selectors).to.deep.equal(['component=streamlit']);
    const [call] = calls;
    expect(call?.pod).to.equal('streamlit-b');
    expect(call?.command.slice(0, 2)).to.deep.equal(['bash', '-c']);
    expect(call?.command[2]).to.match(/^source \/root\/miniforge3\/bin\/activate streamlit-env .*cd \/app .*exec .* - "\$@"$/);
    expect(call?.command.slice(3)).to.deep.equal(['openms-driver', 'create-workspace', '--id', 'w1']);
    expect(call?.input).to.match(/^"""The harness's driver for an OpenMS streamlit-template deployment/);
  });

  it('passes input options and an explicit pod', async () => {
    const { driver, calls } = fixture(() => '{"job_id": "j1"}');
    await driver.addInput('w1', { name: 'a.mzML', seed: 3, scans: 900, pod: 'streamlit-z' });
    expect(await driver.submit('w1', { pod: 'streamlit-z' })).to.equal('j1');
    expect(calls.map((c) => [c.pod, ...c.command.slice(4)])).to.deep.equal([
      ['streamlit-z', 'add-input', 'w1', '--name', 'a.mzML', '--seed', '3', '--scans', '900'],
      ['streamlit-z', 'submit', 'w1'],
    ]);
  });

  it('turns a JSON error reply into a DriverError naming the command and the pod', async () => {
    const { driver } = fixture(() => '{"error": "FileNotFoundError: no workspace \'w9\'"}');
    await driver.status('w9').then(
      () => expect.fail('should fail'),
      (error: Error) => {
        expect(error).to.be.instanceOf(DriverError);
        expect(error.message).to.equal('driver command "status w9" in pod streamlit-b failed: FileNotFoundError: no workspace \'w9\'');
      },
    );
  });

  it('reads a status whose job failed as a status, not as a driver failure', async () => {
    const { driver } = fixture(
      () => '{"workspace": "w1", "status": "failed", "error": "Traceback...", "log": {}, "results": [], "pids": []}',
    );
    expect((await driver.status('w1')).error).to.equal('Traceback...');
  });

  it('lists the RQ workers of every queue in the same web pod the driver uses', async () => {
    const { driver, calls } = fixture(() => '{"workers": [{"name": "w1", "hostname": "rq-worker-a", "queues": ["other-queue"]}]}');
    expect(await driver.workers()).to.deep.equal([{ name: 'w1', hostname: 'rq-worker-a', queues: ['other-queue'] }]);
    expect(calls[0]?.pod).to.equal('streamlit-b');
    expect(calls[0]?.command.slice(4)).to.deep.equal(['workers']);
  });

  it('says when the driver printed no JSON', async () => {
    const { driver } = fixture(() => 'Traceback (most recent call last):');
    await driver.queue().then(
      () => expect.fail('should fail'),
      (error: Error) =>
        expect(error.message).to.equal(
          'driver command "queue" in pod streamlit-b printed no JSON (got: Traceback (most recent call last):)',
        ),
    );
  });

  it("lists the result files upstream's TOPP workflow leaves, and reads the worker RQ timings", async () => {
    const { driver } = fixture(() => '{}');
    expect(driver.expectedResults(['a.mzML', 'b.mzML'])).to.deep.equal([
      'feature-detection/a.featureXML',
      'feature-detection/b.featureXML',
      'feature-linking/feature_matrix.consensusXML',
      'feature-linking/feature_matrix.tsv',
    ]);
    expect((await driver.workerTimings()).workerTtlS).to.equal(60);
  });
});
