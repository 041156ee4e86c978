// The event kernel: a virtual clock in integer microseconds and an event queue ordered by
// (time, priority, sequence); the sequence counter belongs to this Environment (STYLE: SimPy).
import { KernelError } from "../errors.ts";
import { Condition, DEFUSED, DONE, NORMAL, OK, SimEvent, Timeout } from "./event.ts";
import { Process, type ProcessGenerator } from "./process.ts";

/**
 * Priorities are integers in [0, MAX_PRIORITY]; with the sequence number below 2^44 the pair packs
 * exactly into one float64 key, priority * 2^44 + seq (< 2^52), so (time, key) orders events by
 * (time, priority, seq) with two number comparisons.
 */
export const MAX_PRIORITY = 255;
const SEQ_SPAN = 17592186044416; // 2^44

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
  // The event queue: a binary min-heap as a structure of arrays (DESIGN: Kernel). Slot i holds
  // times[i] and events[i]; the tie-break key (priority * 2^44 + seq) is kept on the event
  // (an event is queued at most once) and read only when two times are equal. n slots are in use.
  private times = new Float64Array(256);
  private events: (SimEvent<any> | null)[] = new Array<SimEvent<any> | null>(256).fill(null);
  private n = 0;
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
    return this.n;
  }

  /** Time of the next event, or Infinity. */
  peek(): number {
    return this.n > 0 ? this.times[0] : Infinity;
  }

  schedule(event: SimEvent<any>, priority = NORMAL, delay = 0): void {
    if (!Number.isSafeInteger(delay) || delay < 0) {
      throw new KernelError(`cannot schedule ${event.describe()} with delay ${delay}: need a non-negative integer`);
    }
    if (!(Number.isInteger(priority) && priority >= 0 && priority <= MAX_PRIORITY)) {
      throw new KernelError(`cannot schedule ${event.describe()} with priority ${priority}: need an integer in [0, ${MAX_PRIORITY}]`);
    }
    this.enqueue(event, priority, this._now + delay);
  }

  /** Internal: push with checked arguments (Timeout validates its own delay). */
  enqueue(event: SimEvent<any>, priority: number, time: number): void {
    if (event._key >= 0) throw new KernelError(`${event.describe()} is already scheduled`);
    const seq = this.seq++;
    if (seq >= SEQ_SPAN) throw new KernelError(`event sequence exhausted (${SEQ_SPAN} events scheduled)`);
    const key = priority * SEQ_SPAN + seq;
    event._key = key;
    let i = this.n++;
    if (i === this.times.length) this.grow();
    const times = this.times;
    const events = this.events;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const tp = times[p];
      if (tp < time || (tp === time && events[p]!._key < key)) break;
      times[i] = tp;
      events[i] = events[p];
      i = p;
    }
    times[i] = time;
    events[i] = event;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    this.times = times;
    const events = this.events;
    for (let i = events.length; i < cap; i++) events.push(null);
  }

  /** Removes the earliest event (the heap is not empty); the clock is not moved. */
  private pop(): SimEvent<any> {
    const times = this.times;
    const events = this.events;
    const top = events[0]!;
    const n = --this.n;
    if (n > 0) {
      const t = times[n];
      const e = events[n]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let tc = times[c];
        const r = c + 1;
        if (r < n) {
          const tr = times[r];
          if (tr < tc || (tr === tc && events[r]!._key < events[c]!._key)) {
            c = r;
            tc = tr;
          }
        }
        if (t < tc || (t === tc && e._key < events[c]!._key)) break;
        times[i] = tc;
        events[i] = events[c];
        i = c;
      }
      times[i] = t;
      events[i] = e;
    }
    events[n] = null;
    return top;
  }

  /** Process the next event. A failed event that nobody handled stops the run loudly. */
  step(): void {
    if (this.n === 0) throw new KernelError("no more events");
    this.drain(Infinity, 1);
  }

  /**
   * The dispatch loop: process events while the queue is not empty, the next time is below
   * `limit` and fewer than `max` events were processed here. Pop and callbacks are inline.
   */
  private drain(limit: number, max: number): void {
    let done = 0;
    while (this.n > 0 && done < max) {
      const time = this.times[0];
      if (!(time < limit)) break;
      const event = this.pop();
      this._now = time;
      this.eventsProcessed++;
      done++;
      const cb = event._cb;
      const more = event._cbs;
      event._flags |= DONE;
      event._cb = null;
      if (cb !== null) {
        cb(event);
        if (more !== null) {
          event._cbs = null;
          for (let i = 0; i < more.length; i++) more[i](event);
        }
      }
      if ((event._flags & (OK | DEFUSED)) === 0) this.unhandled(event, time);
    }
  }

  private unhandled(event: SimEvent<any>, time: number): never {
    const err = event.value as unknown as Error;
    throw new KernelError(`unhandled failure in ${event.describe()} at t=${time}us: ${err?.message ?? String(err)}`, {
      cause: err,
    });
  }

  /**
   * Run until the queue is empty, until a time (exclusive of events at that time is not
   * guaranteed: events at exactly `until` are not processed), or until an event is processed.
   */
  run(until?: number | SimEvent<any>): unknown {
    if (until === undefined) {
      this.drain(Infinity, Infinity);
      return undefined;
    }
    if (typeof until === "number") {
      if (!Number.isSafeInteger(until) || until < this._now) {
        throw new KernelError(`run(until=${until}) must be an integer >= now (${this._now})`);
      }
      this.drain(until, Infinity);
      this._now = until;
      return undefined;
    }
    const stop = until;
    while (!stop.processed) {
      if (this.n === 0) throw new KernelError(`queue ran empty before ${stop.describe()} was triggered`);
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
