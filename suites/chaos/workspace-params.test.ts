import { expect } from 'chai';
import { MARKER_KEY, paramsProblem } from './workspace-params.ts';

const WHERE = { workspace: 'ws-1', killedPod: 'web-a', readIn: 'web-b' };
const BEFORE = { workspace: 'ws-1', controllo: false, [MARKER_KEY]: 'token-1' };

describe('chaos/workspace-params', () => {
  it('finds nothing wrong when params.json is as before', () => {
    expect(paramsProblem(WHERE, BEFORE, { ok: true, params: { ...BEFORE } })).to.equal(undefined);
  });

  it('names a params.json that could not be read after the kill', () => {
    expect(paramsProblem(WHERE, BEFORE, { ok: false, error: "no workspace 'ws-1'" })).to.equal(
      "params.json of workspace ws-1 is gone after web pod web-a was killed (read in pod web-b: no workspace 'ws-1'): workspaces are not on storage shared by the web pods",
    );
  });

  it('names a workspace re-created with a default params.json', () => {
    const problem = paramsProblem(WHERE, BEFORE, { ok: true, params: { workspace: 'ws-1', controllo: false } });
    expect(problem).to.equal(
      `params.json of workspace ws-1 lost its content after web pod web-a was killed (before: ${JSON.stringify(BEFORE)}; ` +
        'after, read in pod web-b: {"workspace":"ws-1","controllo":false}): the workspace was re-created empty, so workspaces are not on storage shared by the web pods',
    );
  });
});
