import { expect } from 'chai';
import { ConfigError, HarnessError } from './errors.ts';
import {
  ConditionFailedError,
  TimeoutError,
  delay,
  formatDuration,
  parseDuration,
  poll,
  raceAbort,
  retry,
  waitFor,
  withDeadline,
  type Condition,
  type Look,
  type WaitListener,
} from './wait.ts';

/** A condition that holds from the `okAt`-th check on and reports `seen n`. */
function counting(okAt: number): Condition<number> & { checks: number } {
  const condition = {
    what: 'the counter',
    checks: 0,
    check: () => {
      condition.checks += 1;
      return Promise.resolve({ ok: condition.checks >= okAt, observed: `seen ${condition.checks}`, value: condition.checks });
    },
  };
  return condition;
}

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** A listener that writes down what it is told. */
function recording(): WaitListener & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    attempt: (what, attempt, observed) => lines.push(`attempt ${attempt} of ${what}: ${observed}`),
    done: (what, ok, observed) => lines.push(`done ${what}: ${ok ? 'ok' : 'not ok'} (${observed})`),
  };
}

/** Lets mocha arm its own test timer first, so before/after counts compare like with like. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('waitFor', () => {
  it('resolves with the observation once the condition holds', async () => {
    const condition = counting(3);
    const attempts: string[] = [];
    const result = await waitFor(condition, { within: 2_000, interval: 5, onAttempt: (n, seen) => attempts.push(`${n}:${seen}`) });
    expect(result).to.include({ ok: true, observed: 'seen 3', value: 3 });
    expect(result.elapsedMs).to.be.a('number');
    expect(attempts).to.deep.equal(['1:seen 1', '2:seen 2']);
  });

  it('times out naming the budget, the condition and the last observation', async () => {
    const error = await rejection(waitFor(counting(Infinity), { within: 120, interval: 10 }));
    expect(error).to.be.instanceOf(TimeoutError).and.instanceOf(HarnessError);
    const timeout = error as TimeoutError;
    expect(timeout.kind).to.equal('timeout');
    expect(timeout.message).to.match(/^Timed out after 120ms waiting for the counter \(last seen: seen \d+\)$/);
    expect(timeout.withinMs).to.equal(120);
    expect(timeout.lastObserved).to.match(/^seen \d+$/);
  });

  it('times out even when a check ignores its signal and hangs', async () => {
    const hung: Condition<void> = { what: 'a hung check', check: () => new Promise(() => undefined) };
    const started = performance.now();
    const error = await rejection(waitFor(hung, { within: 60 }));
    expect(error).to.be.instanceOf(TimeoutError);
    expect((error as Error).message).to.contain('(last seen: nothing yet');
    expect(performance.now() - started).to.be.lessThan(1_000);
  });

  it('rejects quickly with the abort reason when the caller aborts, leaving no timer behind', async () => {
    await settled();
    const before = timers();
    const controller = new AbortController();
    const reason = new HarnessError('interrupted', 'Interrupted by SIGINT');
    setTimeout(() => controller.abort(reason), 30);
    const started = performance.now();
    const error = await rejection(waitFor(counting(Infinity), { within: 10_000, interval: 5, signal: controller.signal }));
    expect(error).to.equal(reason);
    expect(performance.now() - started).to.be.lessThan(1_000);
    expect(timers()).to.equal(before);
  });

  it('leaves no timer or handle behind after success or timeout', async () => {
    await settled();
    const before = process.getActiveResourcesInfo().length;
    await waitFor(counting(2), { within: 1_000, interval: 5 });
    await rejection(waitFor(counting(Infinity), { within: 40, interval: 5 }));
    expect(process.getActiveResourcesInfo().length).to.equal(before);
  });

  it('caps an inner wait at the deadline of the outer one', async () => {
    const started = performance.now();
    let inner: unknown;
    const outer = await rejection(
      withDeadline(
        (signal) =>
          waitFor(counting(Infinity), { within: 60_000, interval: 5, signal }).catch((error: unknown) => {
            inner = error;
            throw error;
          }),
        { within: 100, what: 'the outer step' },
      ),
    );
    await delay(10);
    expect(performance.now() - started).to.be.lessThan(1_000);
    expect(outer).to.be.instanceOf(TimeoutError);
    expect(inner).to.be.instanceOf(TimeoutError);
    expect((inner as TimeoutError).withinMs).to.be.at.most(100);
    expect((inner as TimeoutError).message).to.match(/^Timed out after \d+ms waiting for the counter/);
  });

  it('keeps polling through a check that throws, and reports the error as the observation', async () => {
    let calls = 0;
    const flaky: Condition<void> = {
      what: 'a flaky API',
      check: () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new Error('connection reset')) : Promise.resolve({ ok: true, observed: 'up' });
      },
    };
    const seen: string[] = [];
    const result = await waitFor(flaky, { within: 1_000, interval: 5, onAttempt: (_n, observed) => seen.push(observed) });
    expect(result.observed).to.equal('up');
    expect(seen).to.deep.equal(['error: connection reset', 'error: connection reset']);
  });

  it('stops at once when a check says the condition can never hold', async () => {
    let calls = 0;
    const failing: Condition<void> = {
      what: 'a job',
      check: () => {
        calls += 1;
        return Promise.reject(new ConditionFailedError('job/x failed: BackoffLimitExceeded'));
      },
    };
    const error = await rejection(waitFor(failing, { within: 5_000, interval: 5 }));
    expect(error).to.be.instanceOf(ConditionFailedError);
    expect(calls).to.equal(1);
  });

  it('rejects a budget that is not positive', async () => {
    expect(await rejection(waitFor(counting(1), { within: 0 }))).to.be.instanceOf(TypeError);
  });

  it('tells its listener of each miss and of the outcome, held or timed out', async () => {
    const listener = recording();
    await waitFor(counting(2), { within: 1_000, interval: 5, listener });
    await rejection(waitFor(counting(Infinity), { within: 30, interval: 5, listener }));
    expect(listener.lines.slice(0, 3)).to.deep.equal([
      'attempt 1 of the counter: seen 1',
      'done the counter: ok (seen 2)',
      'attempt 1 of the counter: seen 1',
    ]);
    const [, count] = /^done the counter: not ok \(seen (\d+)\)$/.exec(listener.lines.at(-1) ?? '') ?? [];
    expect(count, 'the outcome names the last observation').to.be.a('string');
    expect(listener.lines.at(-2)).to.equal(`attempt ${count} of the counter: seen ${count}`);
  });

  it('with fixedInterval, keeps the pause at the interval instead of growing it', async () => {
    const at: number[] = [];
    await waitFor(counting(7), { within: 5_000, interval: 40, fixedInterval: true, onAttempt: (_n, _seen, ms) => at.push(ms) });
    const pauses = at.slice(1).map((ms, i) => ms - (at[i] ?? 0));
    expect(pauses).to.have.length(5);
    // Grown by 1.5× (and jittered up to 2×), the fifth pause would be 200–400 ms.
    for (const pause of pauses) expect(pause).to.be.within(35, 150);
  });

  it('says how precisely the moment it held is known: the gap since the check before', async () => {
    const first = await waitFor(counting(1), { within: 1_000, interval: 5 });
    expect(first.gapMs)
      .to.be.at.least(1)
      .and.at.most(first.elapsedMs + 1);
    const later = await waitFor(counting(3), { within: 2_000, interval: 60, fixedInterval: true });
    expect(later.gapMs).to.be.within(55, 200);
    expect(later.elapsedMs).to.be.at.least(120);
  });

  it('with immediate: false, makes its first check only after one interval', async () => {
    const condition = counting(1);
    const seen = await waitFor(condition, { within: 1_000, interval: 60, immediate: false });
    expect(condition.checks).to.equal(1);
    expect(seen.elapsedMs).to.be.at.least(55);
    expect(seen.gapMs).to.be.at.least(55);
  });

  it('with an infinite budget, ends only with its signal and leaves no timer behind', async () => {
    await settled();
    const before = timers();
    expect((await waitFor(counting(2), { within: Infinity, interval: 5 })).value).to.equal(2);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller done')), 40);
    const error = await rejection(waitFor(counting(Infinity), { within: Infinity, interval: 5, signal: controller.signal }));
    expect((error as Error).message).to.equal('caller done');
    expect(timers()).to.equal(before);
  });

  it('with an infinite budget inside a bounded one, times out at the outer deadline', async () => {
    const error = await rejection(
      withDeadline((signal) => waitFor(counting(Infinity), { within: Infinity, interval: 5, signal }), {
        within: 80,
        what: 'the outer step',
      }),
    );
    expect(error).to.be.instanceOf(TimeoutError);
  });
});

describe('retry', () => {
  it('returns the first success and counts attempts', async () => {
    const attempts: number[] = [];
    const result = await retry(
      (_signal, attempt) => {
        attempts.push(attempt);
        return attempt < 3 ? Promise.reject(new Error(`boom ${attempt}`)) : Promise.resolve('done');
      },
      { within: 2_000, interval: 5, what: 'the operation' },
    );
    expect(result).to.equal('done');
    expect(attempts).to.deep.equal([1, 2, 3]);
  });

  it('rethrows the last error when the attempts run out', async () => {
    let calls = 0;
    const error = await rejection(
      retry(
        () => {
          calls += 1;
          return Promise.reject(new Error(`boom ${calls}`));
        },
        { within: 5_000, attempts: 3, interval: 5, what: 'the operation' },
      ),
    );
    expect(calls).to.equal(3);
    expect((error as Error).message).to.equal('boom 3');
  });

  it('throws a TimeoutError carrying the last error when the deadline passes', async () => {
    const error = await rejection(
      retry(() => Promise.reject(new Error('API server unreachable')), { within: 80, interval: 5, what: 'the API server to answer' }),
    );
    expect(error).to.be.instanceOf(TimeoutError);
    expect((error as Error).message).to.equal(
      'Timed out after 80ms waiting for the API server to answer (last seen: API server unreachable)',
    );
  });

  for (const [label, fatal] of [
    ['a TypeError (programming bug)', new TypeError('x is not a function')],
    ['a ConfigError', new ConfigError('bad flag')],
    ['an interrupt', new HarnessError('interrupted', 'stopped')],
  ] as const) {
    it(`does not repeat ${label}`, async () => {
      let calls = 0;
      const error = await rejection(
        retry(
          () => {
            calls += 1;
            return Promise.reject(fatal);
          },
          { within: 5_000, interval: 5, what: 'the operation' },
        ),
      );
      expect(error).to.equal(fatal);
      expect(calls).to.equal(1);
    });
  }

  it('tells its listener of each failed attempt and of the outcome', async () => {
    const listener = recording();
    await retry((_signal, attempt) => (attempt < 2 ? Promise.reject(new Error('refused')) : Promise.resolve()), {
      within: 1_000,
      interval: 5,
      what: 'the API to answer',
      listener,
    });
    await rejection(retry(() => Promise.reject(new Error('refused')), { within: 1_000, attempts: 1, what: 'the API to answer', listener }));
    expect(listener.lines).to.deep.equal([
      'attempt 1 of the API to answer: refused',
      'done the API to answer: ok (succeeded at attempt 2)',
      'attempt 1 of the API to answer: refused',
      'done the API to answer: not ok (refused)',
    ]);
  });

  it('passes a signal into each attempt that aborts at the deadline', async () => {
    let attemptSignal: AbortSignal | undefined;
    await rejection(
      retry(
        (signal) => {
          attemptSignal = signal;
          return new Promise(() => undefined);
        },
        { within: 50, what: 'a hung operation' },
      ),
    );
    expect(attemptSignal?.aborted).to.equal(true);
  });
});

describe('withDeadline', () => {
  it('returns the result of work that finishes in time', async () => {
    expect(await withDeadline(() => Promise.resolve(42), { within: 1_000, what: 'the answer' })).to.equal(42);
  });

  it('throws a TimeoutError for work still running at the deadline', async () => {
    const error = await rejection(withDeadline(() => new Promise(() => undefined), { within: 30, what: 'delete cluster' }));
    expect((error as Error).message).to.equal('Timed out after 30ms waiting for delete cluster (last seen: still running)');
  });
});

describe('poll', () => {
  it('hands over every look, answered or failed, each with the gap since the look before', async () => {
    const controller = new AbortController();
    const looks: Look<number>[] = [];
    let n = 0;
    await poll(
      () => {
        n += 1;
        return n === 2 ? Promise.reject(new Error('refused')) : Promise.resolve(n);
      },
      (seen) => {
        looks.push(seen);
        if (looks.length === 4) controller.abort();
      },
      { what: 'the endpoint', every: 30, lookWithin: 1_000, signal: controller.signal },
    );
    expect(looks.map((seen) => seen.value ?? seen.error?.message)).to.deep.equal([1, 'refused', 3, 4]);
    for (const seen of looks.slice(1)) expect(seen.gapMs).to.be.within(25, 150);
    expect(looks[0]?.gapMs).to.be.at.least(1);
    expect(Date.parse(looks[0]?.wall ?? '')).to.be.a('number').and.not.NaN;
    expect((looks[3]?.mono ?? 0) - (looks[0]?.mono ?? 0)).to.be.at.least(80);
  });

  it('fails a look that outruns its budget and goes on looking', async () => {
    const controller = new AbortController();
    const looks: Look<string>[] = [];
    let n = 0;
    await poll(
      () => ((n += 1) === 1 ? new Promise<string>(() => undefined) : Promise.resolve('up')),
      (seen) => {
        looks.push(seen);
        if (looks.length === 2) controller.abort();
      },
      { what: 'the endpoint', every: 5, lookWithin: 30, signal: controller.signal },
    );
    expect(looks[0]?.error).to.be.instanceOf(TimeoutError);
    expect(looks[0]?.error?.message).to.match(/waiting for the endpoint/);
    expect(looks[1]?.value).to.equal('up');
  });

  it('ends quietly when its signal aborts or its budget runs out, leaving no timer behind', async () => {
    await settled();
    const before = timers();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    let looks = 0;
    await poll(
      () => Promise.resolve(true),
      () => (looks += 1),
      { what: 'x', every: 5, lookWithin: 100, signal: controller.signal },
    );
    expect(looks).to.be.greaterThan(1);
    const started = performance.now();
    await poll(
      () => Promise.resolve(true),
      () => undefined,
      { what: 'x', every: 5, lookWithin: 100, signal: new AbortController().signal, within: 40 },
    );
    expect(performance.now() - started).to.be.within(30, 1_000);
    expect(timers()).to.equal(before);
  });
});

describe('raceAbort', () => {
  it('settles with the work while the signal stays quiet', async () => {
    expect(await raceAbort(() => Promise.resolve('done'), new AbortController().signal)).to.equal('done');
  });

  it('rejects with the abort reason as soon as the signal aborts, even when the work ignores it', async () => {
    const controller = new AbortController();
    const pending = raceAbort(() => new Promise(() => undefined), controller.signal);
    controller.abort(new Error('stop'));
    expect(((await rejection(pending)) as Error).message).to.equal('stop');
  });

  it('rejects without starting the work when the signal has already aborted', async () => {
    let started = false;
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    const pending = raceAbort(() => {
      started = true;
      return Promise.resolve();
    }, controller.signal);
    expect(((await rejection(pending)) as Error).message).to.equal('too late');
    expect(started).to.equal(false);
  });
});

describe('delay', () => {
  it('waits and clears its timer when aborted', async () => {
    await delay(5);
    const before = timers();
    const controller = new AbortController();
    const pending = delay(10_000, controller.signal);
    controller.abort(new Error('stop'));
    expect(((await rejection(pending)) as Error).message).to.equal('stop');
    expect(timers()).to.equal(before);
  });
});

describe('durations', () => {
  it('parses the usual spellings', () => {
    expect(parseDuration('5m')).to.equal(300_000);
    expect(parseDuration('90s')).to.equal(90_000);
    expect(parseDuration('1m30s')).to.equal(90_000);
    expect(parseDuration('250ms')).to.equal(250);
    expect(parseDuration('2h')).to.equal(7_200_000);
    expect(parseDuration('1.5s')).to.equal(1_500);
  });

  it('rejects anything else with a ConfigError naming the value', () => {
    for (const bad of ['', '5', 'five minutes', '5x', '-1s', '1m 30s']) {
      expect(() => parseDuration(bad)).to.throw(ConfigError, `"${bad}" is not a duration`);
    }
  });

  it('formats for people', () => {
    expect(formatDuration(850)).to.equal('850ms');
    expect(formatDuration(1_500)).to.equal('1.5s');
    expect(formatDuration(45_000)).to.equal('45s');
    expect(formatDuration(90_000)).to.equal('1m30s');
    expect(formatDuration(180_000)).to.equal('3m');
    expect(formatDuration(7_500_000)).to.equal('2h5m');
    expect(formatDuration(59_990)).to.equal('1m');
  });
});
