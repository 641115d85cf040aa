import { expect } from 'chai';
import { hostResolverRules, stackHostMapping } from './launch.ts';

describe('Chromium host mapping', () => {
  it("maps the host name of the stack's route to the ingress address, and nothing when the route matches any host", () => {
    const mapping = stackHostMapping({ host: 'app.example.de' }, 'http://127.0.0.1:18080');
    expect(mapping).to.deep.equal({ host: 'app.example.de', address: '127.0.0.1' });
    expect(mapping && hostResolverRules(mapping)).to.equal('--host-resolver-rules=MAP app.example.de 127.0.0.1');
    expect(stackHostMapping({}, 'http://127.0.0.1:18080')).to.equal(undefined);
  });
});
