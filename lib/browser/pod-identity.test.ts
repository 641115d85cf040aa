import { expect } from 'chai';
import { identityClashes, podOfFrame, podOfWorkspace, workspaceOfUrl, type WebPodIdentity } from './pod-identity.ts';

const pods: WebPodIdentity[] = [
  { pod: 'web-a', hostname: 'web-a', node: '0a580af40012', installation_id: '387c32a3-c3ee-5ece-a06c-a751fa78dce1' },
  { pod: 'web-b', hostname: 'web-b', node: '0a580af40107', installation_id: '9f0e4c31-7a0b-5d3e-8b2e-1c4f6a7d8e90' },
];

describe('browser/pod-identity', () => {
  it('finds the pod whose installation id a NewSession frame carries', () => {
    const frame = Buffer.concat([
      Buffer.from([0x0a, 0x8f, 0x01]),
      Buffer.from(`\u0012$${pods[1]?.installation_id ?? ''}\u001a`, 'latin1'),
      Buffer.from([0xff, 0x00]),
    ]);
    expect(podOfFrame(frame, pods)).to.equal('web-b');
    expect(podOfFrame('no id here', pods)).to.equal(undefined);
  });

  it('reads the pod that made a uuid1 workspace from its node field, and the workspace from the URL', () => {
    expect(podOfWorkspace('6c1a2f3e-d2c5-11ef-9a1b-0a580af40012', pods)).to.equal('web-a');
    expect(podOfWorkspace('6c1a2f3e-d2c5-41ef-9a1b-0a580af40012', pods)).to.equal(undefined);
    expect(podOfWorkspace('default', pods)).to.equal(undefined);
    expect(workspaceOfUrl('http://template.webapps.openms.de:18080/?workspace=abc-1')).to.equal('abc-1');
    expect(workspaceOfUrl('http://h/')).to.equal(undefined);
  });

  it('names pods that sessions cannot tell apart', () => {
    expect(identityClashes(pods)).to.deep.equal([]);
    const same = [pods[0], { ...pods[0], pod: 'web-c', hostname: 'web-c' }] as WebPodIdentity[];
    expect(identityClashes(same)).to.deep.equal([
      'web pods web-a and web-c send the same installation id 387c32a3-c3ee-5ece-a06c-a751fa78dce1, so a session cannot tell which of them serves it',
      'web pods web-a and web-c make workspace ids with the same uuid node 0a580af40012',
    ]);
  });
});
