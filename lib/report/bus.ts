// The run's one event bus: stamps each event, masks secrets, appends it to events.jsonl at once
// (so a crash still leaves a record) and fans it out to sinks, none of which can break the run.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunEvent, RunEventBody } from './events.ts';
import { createSecretStore, type SecretStore } from './redact.ts';

/** Receives every event after it was recorded. A sink that throws (or rejects) is reported, never fatal. */
export type EventSink = (event: RunEvent) => void;

/** The one place events are emitted through. */
export interface EventBus {
  /** Stamps (`v`, `seq`, `at`), redacts, appends to the file, fans out; returns the stored event. */
  emit(body: RunEventBody): RunEvent;
  /** Every event so far, in emission order. */
  readonly events: readonly RunEvent[];
  /** Waits for sinks that returned a promise; their rejections become `log` events. */
  close(): Promise<void>;
}

/** How a bus records and fans out. */
export interface BusOptions {
  /** `events.jsonl` to append to; nothing is written when absent. */
  file?: string;
  /** Called with every event, in order. */
  sinks?: EventSink[];
  /** Clock for `at`; tests pass a fixed one. */
  now?: () => Date;
  /**
   * What is masked as `***` in every string of every event: a run's secret store (values it learns later are
   * masked from then on), or fixed values. Credential shapes (URL userinfo, tokens, PEM blocks) always are.
   */
  secrets?: readonly string[] | SecretStore;
}

/** Creates the bus of a run. */
export function createBus(options: BusOptions): EventBus {
  const log = eventLog(options);
  const sinks = sinkFanOut([...(options.sinks ?? [])], log.record);
  return {
    emit(body: RunEventBody): RunEvent {
      const event = log.record(body);
      sinks.fanOut(event, true);
      return event;
    },
    get events(): readonly RunEvent[] {
      return log.events;
    },
    async close(): Promise<void> {
      // Emitting after close still works: a late run.end from a signal handler must not be lost.
      while (sinks.pending.length > 0) await Promise.all(sinks.pending.splice(0));
    },
  };
}

/** Records an event: stamps it, masks its secrets, appends it to the file; returns the stored event. */
type RecordEvent = (body: RunEventBody) => RunEvent;

/** The run's events so far, and how one more is recorded. */
function eventLog(options: BusOptions): { events: RunEvent[]; record: RecordEvent } {
  const events: RunEvent[] = [];
  const now = options.now ?? ((): Date => new Date());
  const store =
    options.secrets === undefined || Array.isArray(options.secrets)
      ? createSecretStore(options.secrets ?? [])
      : (options.secrets as SecretStore);
  const file = options.file;
  if (file !== undefined) mkdirSync(dirname(file), { recursive: true });
  const record = (body: RunEventBody): RunEvent => {
    const event: RunEvent = { v: 1, seq: events.length + 1, at: now().toISOString(), ...store.redact(body) };
    if (file !== undefined) appendFileSync(file, `${JSON.stringify(event)}\n`);
    events.push(event);
    return event;
  };
  return { events, record };
}

/**
 * Hands each event to every sink. A sink that throws or rejects is reported through a `log` event
 * (recorded with `record`) when `report` is set; the promises sinks returned are kept in `pending`.
 */
function sinkFanOut(
  sinks: readonly EventSink[],
  record: RecordEvent,
): { pending: Promise<void>[]; fanOut: (event: RunEvent, report: boolean) => void } {
  const pending: Promise<void>[] = [];
  const sinkFailed = (index: number, event: RunEvent, error: unknown): void => {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `Report sink #${index + 1} failed on event ${event.seq} (${event.kind}): ${reason}`;
    // The notice itself is fanned out without reporting again, so a sink that always throws cannot loop.
    fanOut(record({ kind: 'log', level: 'warn', message }), false);
  };
  const fanOut = (event: RunEvent, report: boolean): void => {
    const failures: [number, unknown][] = [];
    sinks.forEach((sink, index) => {
      try {
        const result: unknown = sink(event);
        if (result instanceof Promise) {
          pending.push(
            result.then(
              () => undefined,
              (error: unknown) => (report ? sinkFailed(index, event, error) : undefined),
            ),
          );
        }
      } catch (error) {
        failures.push([index, error]);
      }
    });
    // Reported after the loop, so every sink sees this event before the notice about it.
    if (report) for (const [index, error] of failures) sinkFailed(index, event, error);
  };
  return { pending, fanOut };
}
