import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { HarnessError, type InterruptedError } from '../errors.ts';
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

  it('aborts on SIGTERM and SIGHUP with exit codes 143 and 129, and stops listening when disposed', () => {
    const term = setup();
    term.source.emit('SIGTERM');
    expect(term.interrupts.signal.aborted).to.equal(true);
    expect((term.interrupts.signal.reason as InterruptedError).exitCode).to.equal(143);
    const hup = setup();
    hup.source.emit('SIGHUP');
    expect((hup.interrupts.signal.reason as InterruptedError).exitCode).to.equal(129);
    term.interrupts.dispose();
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((name) => term.source.listenerCount(name))).to.deep.equal([0, 0, 0]);
  });

  it('forces exit on a second SIGTERM at once, with its code', () => {
    const { source, exits, lines } = setup();
    source.emit('SIGTERM');
    source.emit('SIGTERM');
    expect(exits).to.deep.equal([143]);
    expect(lines[1]).to.match(/^Forced exit/);
  });

  it('forces exit when teardown outlasts its bound, naming the bound', () => {
    const source = new EventEmitter();
    const lines: string[] = [];
    const exits: number[] = [];
    const timers: { ms: number; fire: () => void }[] = [];
    const interrupts = watchInterrupts({
      source,
      write: (line) => lines.push(line),
      forceExit: (code) => exits.push(code),
      teardownBoundMs: 90_000,
      startTimer: (ms, fire) => {
        timers.push({ ms, fire });
        return () => undefined;
      },
    });
    source.emit('SIGTERM');
    expect(timers.map((t) => t.ms)).to.deep.equal([90_000]);
    timers[0]?.fire();
    expect(exits).to.deep.equal([143]);
    expect(lines.at(-1)).to.equal('Forced exit: teardown did not finish within 1m30s; the cluster and its resources may be left behind.');
    interrupts.dispose();
  });
});
