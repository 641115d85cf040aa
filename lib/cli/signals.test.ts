import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { HarnessError } from '../errors.ts';
import { watchInterrupts } from './signals.ts';

function setup() {
  const source = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  let clock = 0;
  const interrupts = watchInterrupts({
    source,
    write: (line) => lines.push(line),
    forceExit: (code) => exits.push(code),
    now: () => clock,
  });
  return { source, lines, exits, interrupts, advance: (ms: number) => (clock += ms) };
}

describe('cli/signals', () => {
  it('aborts with an interrupted HarnessError on the first Ctrl-C and says how to force', () => {
    const { source, lines, exits, interrupts } = setup();
    source.emit('SIGINT');
    expect(interrupts.signal.aborted).to.equal(true);
    const reason: unknown = interrupts.signal.reason;
    expect(reason).to.be.instanceOf(HarnessError);
    expect((reason as HarnessError).kind).to.equal('interrupted');
    expect(lines).to.deep.equal(['Interrupted: tearing down (press Ctrl-C again to force)']);
    expect(exits).to.deep.equal([]);
  });

  it("ignores npm's duplicate Ctrl-C, and forces exit 130 on a real second one", () => {
    const { source, exits, advance } = setup();
    source.emit('SIGINT');
    advance(5);
    source.emit('SIGINT');
    expect(exits).to.deep.equal([]);
    advance(1500);
    source.emit('SIGINT');
    expect(exits).to.deep.equal([130]);
  });

  it('aborts on SIGTERM and stops listening when disposed', () => {
    const { source, interrupts } = setup();
    source.emit('SIGTERM');
    expect(interrupts.signal.aborted).to.equal(true);
    interrupts.dispose();
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).to.equal(0);
  });
});
