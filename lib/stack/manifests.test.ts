import { expect } from 'chai';
import { keepLoadedImages, type Manifest } from './manifests.ts';

const pod = (containers: Manifest[]): Manifest => ({ kind: 'Deployment', spec: { template: { spec: { containers } } } });
const policies = (doc: Manifest): unknown[] =>
  (doc.spec as { template: { spec: { containers: Manifest[] } } }).template.spec.containers.map((c) => c.imagePullPolicy);

describe('pull policy of images loaded into the nodes', () => {
  it('keeps a loaded image from being pulled: Always, or no policy with a latest or missing tag', () => {
    const doc = pod([
      { name: 'a', image: 'local/app:1', imagePullPolicy: 'Always' },
      { name: 'b', image: 'local/redis:latest' },
      { name: 'c', image: 'local/redis' },
      { name: 'd', image: 'local/app:1' },
      { name: 'e', image: 'local/app:1', imagePullPolicy: 'Never' },
      { name: 'f', image: 'registry.example/app:latest', imagePullPolicy: 'Always' },
    ]);
    const changed = keepLoadedImages([doc], ['local/app:1', 'local/redis:latest', 'local/redis']);
    expect(changed).to.equal(3);
    expect(policies(doc)).to.deep.equal(['IfNotPresent', 'IfNotPresent', 'IfNotPresent', undefined, 'Never', 'Always']);
  });
});
