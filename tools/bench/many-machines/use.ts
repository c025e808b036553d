import type { RequestLogEntry } from '../../../packages/nx-phases/src/test-utils/openai-test-server';

/** How one run used the server's in-flight limit, from the server's own request log. */
export interface LimitUse {
  /** Requests answered 200 (each one generator call). */
  served: number;
  /** Requests the server refused because the limit was already in use (429 `over-in-flight-limit`). */
  violations: number;
  /** Other non-200 answers. */
  otherErrors: number;
  /** Busy window: first served arrival to last served finish. */
  windowMs: number;
  /** ∫ in-flight dt over the window (the sum of served requests' durations at the server). */
  inFlightMs: number;
  /** inFlightMs / (limit × windowMs). */
  use: number;
  /** Idle slot-time (limit × t − ∫ in-flight) before the last arrival: hand-over gaps and start-up. */
  idleBeforeLastArrivalMs: number;
  /** Idle slot-time after the last arrival: the end of the work (nothing left to send), not the limiter. */
  idleAfterLastArrivalMs: number;
  maxInFlight: number;
  /** Median time from a slot being freed at the server to the next arrival while requests were still to come. */
  medianHandOverMs: number;
}

/** The formula as printed next to the numbers. */
export const USE_DEFINITION =
  'use = ∫ in-flight(t) dt / (limit × window), window = first served arrival → last served finish at the server; ' +
  '∫ in-flight dt = Σ (finishedAt − arrivedAt) of the requests answered 200; a violation = a request the server refused with 429 ' +
  'because `limit` requests were already being answered';

/** Measures the use of an in-flight `limit` from a request log (arrival and finish times as the server saw them). */
export function limitUse(log: RequestLogEntry[], limit: number): LimitUse {
  const served = log.filter((entry) => entry.status === 200);
  const violations = log.filter((entry) => entry.answer === 'over-in-flight-limit').length;
  const start = Math.min(...served.map((entry) => entry.arrivedAt));
  const end = Math.max(...served.map((entry) => entry.finishedAt));
  const lastArrival = Math.max(...served.map((entry) => entry.arrivedAt));
  const inFlightMs = served.reduce((sum, entry) => sum + (entry.finishedAt - entry.arrivedAt), 0);
  const events = served.flatMap((entry) => [
    { at: entry.arrivedAt, delta: 1 },
    { at: entry.finishedAt, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let maxInFlight = 0;
  let previous = start;
  let idleBefore = 0;
  let idleAfter = 0;
  const freedAt: number[] = [];
  const handOvers: number[] = [];
  for (const event of events) {
    const free = Math.max(0, limit - current);
    idleBefore += free * Math.max(0, Math.min(event.at, lastArrival) - previous);
    idleAfter += free * Math.max(0, event.at - Math.max(previous, lastArrival));
    previous = event.at;
    current += event.delta;
    maxInFlight = Math.max(maxInFlight, current);
    if (event.delta < 0 && event.at < lastArrival) freedAt.push(event.at);
    if (event.delta > 0 && freedAt.length > 0) handOvers.push(event.at - (freedAt.shift() as number));
  }
  const windowMs = end - start;
  return {
    served: served.length,
    violations,
    otherErrors: log.length - served.length - violations,
    windowMs,
    inFlightMs,
    use: inFlightMs / (limit * windowMs),
    idleBeforeLastArrivalMs: idleBefore,
    idleAfterLastArrivalMs: idleAfter,
    maxInFlight,
    medianHandOverMs: median(handOvers),
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
