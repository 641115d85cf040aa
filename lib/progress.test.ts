import { expect } from 'chai';
import { createProgress, stamp } from './progress.ts';

/** A stream that records what is written; `isTTY` as given. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { isTTY, write: (chunk: string) => written.push(chunk) > 0 };
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

describe('progress', () => {
  const at = (seconds: number) => new Date(2026, 10, 22, 13, 45, seconds);

  it('formats HH:MM:SS lines in local time', () => {
    expect(stamp('creating cluster', new Date(2026, 0, 2, 3, 4, 5))).to.equal('03:04:05 creating cluster');
  });

  it('prints timestamped lines in CI, even on a terminal, without repeating a line', () => {
    const { stream, written } = fakeStream(true);
    let second = 0;
    const progress = createProgress(stream, { ci: true, now: () => at(second++) });
    progress.line('waiting for nodes: 1/3 Ready');
    progress.line('waiting for nodes: 1/3 Ready');
    progress.line('waiting for nodes: 3/3 Ready');
    progress.done('cluster up');
    expect(written).to.deep.equal([
      '13:45:00 waiting for nodes: 1/3 Ready\n',
      '13:45:01 waiting for nodes: 3/3 Ready\n',
      '13:45:02 cluster up\n',
    ]);
  });

  it('prints plain lines when the stream is not a terminal', () => {
    const { stream, written } = fakeStream(false);
    createProgress(stream, { ci: false, now: () => at(7) }).line('deploying');
    expect(written).to.deep.equal(['13:45:07 deploying\n']);
  });

  it('rewrites one live line with the elapsed seconds on a terminal', () => {
    const { stream, written } = fakeStream(true);
    let second = 0;
    const progress = createProgress(stream, { ci: false, now: () => at(second) });
    progress.line('creating cluster');
    second = 12;
    progress.line('waiting for nodes');
    progress.done('cluster up');
    expect(written).to.deep.equal(['\r\x1b[2Kcreating cluster (0s)', '\r\x1b[2Kwaiting for nodes (12s)', '\r\x1b[2Kcluster up\n']);
  });
});
