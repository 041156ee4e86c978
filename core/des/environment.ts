// The event kernel: a virtual clock in integer microseconds and an event queue ordered by
// (time, priority, sequence); the sequence counter belongs to this Environment (STYLE: SimPy).
import { KernelError } from "../errors.ts";
import { Condition, NORMAL, SimEvent, Timeout } from "./event.ts";
import { Process, type ProcessGenerator } from "./process.ts";

interface Entry {
  time: number;
  priority: number;
  seq: number;
  event: SimEvent<any>;
}

function before(a: Entry, b: Entry): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

/** Microseconds in common units, for readable delays. */
export const US = 1;
export const MS = 1_000;
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Seconds (float) to whole microseconds, rounding half up; the one place time is quantised. */
export function micros(seconds: number): number {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new KernelError(`duration must be finite and >= 0, got ${seconds} s`);
  return Math.round(seconds * SECOND);
}

export class Environment {
  private _now: number;
  private heap: Entry[] = [];
  private seq = 0;
  /** Events processed so far. */
  eventsProcessed = 0;
  /** The process whose generator is running right now, if any. */
  activeProcess: Process<any> | null = null;

  constructor(initialTime = 0) {
    if (!Number.isSafeInteger(initialTime) || initialTime < 0) {
      throw new KernelError(`initial time must be a non-negative integer, got ${initialTime}`);
    }
    this._now = initialTime;
  }

  get now(): number {
    return this._now;
  }

  /** Number of events waiting in the queue. */
  get queued(): number {
    return this.heap.length;
  }

  /** Time of the next event, or Infinity. */
  peek(): number {
    return this.heap.length > 0 ? this.heap[0].time : Infinity;
  }

  schedule(event: SimEvent<any>, priority = NORMAL, delay = 0): void {
    if (!Number.isSafeInteger(delay) || delay < 0) {
      throw new KernelError(`cannot schedule ${event.describe()} with delay ${delay}: need a non-negative integer`);
    }
    const entry: Entry = { time: this._now + delay, priority, seq: this.seq++, event };
    const h = this.heap;
    let i = h.length;
    h.push(entry);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(entry, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = entry;
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }

  /** Process the next event. A failed event that nobody handled stops the run loudly. */
  step(): void {
    if (this.heap.length === 0) throw new KernelError("no more events");
    const { time, event } = this.pop();
    this._now = time;
    const callbacks = event.callbacks!;
    event.callbacks = null;
    this.eventsProcessed++;
    for (let i = 0; i < callbacks.length; i++) callbacks[i](event);
    if (!event.ok && !event.defused) {
      const err = event.value as unknown as Error;
      throw new KernelError(`unhandled failure in ${event.describe()} at t=${time}us: ${err?.message ?? String(err)}`, {
        cause: err,
      });
    }
  }

  /**
   * Run until the queue is empty, until a time (exclusive of events at that time is not
   * guaranteed: events at exactly `until` are not processed), or until an event is processed.
   */
  run(until?: number | SimEvent<any>): unknown {
    if (until === undefined) {
      while (this.heap.length > 0) this.step();
      return undefined;
    }
    if (typeof until === "number") {
      if (!Number.isSafeInteger(until) || until < this._now) {
        throw new KernelError(`run(until=${until}) must be an integer >= now (${this._now})`);
      }
      while (this.heap.length > 0 && this.heap[0].time < until) this.step();
      this._now = until;
      return undefined;
    }
    const stop = until;
    while (!stop.processed) {
      if (this.heap.length === 0) throw new KernelError(`queue ran empty before ${stop.describe()} was triggered`);
      this.step();
    }
    if (!stop.ok) throw stop.value;
    return stop.value;
  }

  // --- factories ---------------------------------------------------------------------------
  event<T = unknown>(name?: string): SimEvent<T> {
    return new SimEvent<T>(this, name);
  }
  timeout<T = undefined>(delay: number, value?: T): Timeout<T> {
    return new Timeout<T>(this, delay, value);
  }
  process<T>(gen: ProcessGenerator<T>, name?: string): Process<T> {
    return new Process<T>(this, gen, name);
  }
  allOf(events: SimEvent<any>[]): Condition {
    return new Condition(this, events, "all");
  }
  anyOf(events: SimEvent<any>[]): Condition {
    return new Condition(this, events, "any");
  }
}
