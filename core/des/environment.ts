// The event kernel: a virtual clock in integer microseconds and an event queue ordered by
// (time, priority, sequence); the sequence counter belongs to this Environment (STYLE: SimPy).
import { KernelError } from "../errors.ts";
import { Condition, DEFUSED, DONE, NORMAL, OK, SimEvent, Timeout } from "./event.ts";
import { Process, type ProcessGenerator } from "./process.ts";

/**
 * Priorities are integers in [0, MAX_PRIORITY]; with the sequence number below 2^44 the pair packs
 * exactly into one float64 key, priority * 2^44 + seq (< 2^52), so (time, key) orders events by
 * (time, priority, seq); within one time's bucket the key alone does.
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

/**
 * The radix-heap bucket of a queued time t relative to the last time taken, `last` (t >= last):
 * 0 when t === last, else 1 + the index of the highest bit in which t and last differ (1..53;
 * times are integers below 2^53). Times in bucket k > 0 lie in [last, last + 2^k).
 */
function bucketOf(t: number, last: number): number {
  const hi = (t / 4294967296) ^ (last / 4294967296);
  return hi !== 0 ? 64 - Math.clz32(hi) : 32 - Math.clz32(t ^ last);
}

/** Lowest set bit's index of a non-zero 32-bit mask. */
const ctz = (x: number) => 31 - Math.clz32(x & -x);

export class Environment {
  private _now: number;
  // The event queue (DESIGN: Kernel): a radix heap (Ahuja, Mehlhorn, Orlin & Tarjan 1990) over
  // integer times, which is valid because the clock never goes back: every queued time is >= `last`,
  // the time of the last bucket emptied into bucket 0. bk[k] holds bl[k] events (bucketOf above);
  // bucket 0 holds the events AT `last` in (priority, seq) order from b0 on, the key
  // priority * 2^44 + seq. When bucket 0 is spent, the lowest non-empty bucket's minimum becomes
  // `last` and its events move down (each event moves at most 53 times: a few with nearby times, more
  // the wider the spread of delays).
  // maskLo / maskHi: bit k set when bucket k (1..31) / 32 + k (32..53) is not empty.
  private bk: (SimEvent<any> | null)[][] = Array.from({ length: 54 }, () => []);
  private bl = new Int32Array(54);
  private b0 = 0;
  private last: number;
  private maskLo = 0;
  private maskHi = 0;
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
    this.last = initialTime;
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
    return this.n === 0 ? Infinity : this.b0 < this.bl[0] ? this.last : this.lowestTime();
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
    // Times are below 2^53 (the radix heap's buckets end at 53 bits); checked before any change.
    if (!(time <= 9007199254740991)) throw new KernelError(`cannot schedule ${event.describe()} at t=${time}us: beyond 2^53 - 1 us (285 years)`);
    const seq = this.seq++;
    if (seq >= SEQ_SPAN) throw new KernelError(`event sequence exhausted (${SEQ_SPAN} events scheduled)`);
    const key = priority * SEQ_SPAN + seq;
    event._key = key;
    this.n++;
    event._at = time;
    const last = this.last;
    if (time !== last) {
      const k = bucketOf(time, last);
      this.bk[k][this.bl[k]++] = event;
      if (k < 32) this.maskLo |= 1 << k;
      else this.maskHi |= 1 << (k - 32);
      return;
    }
    // At `last` (delay 0 at the current time): after the queued events of a priority <= its own.
    const b = this.bk[0];
    let j = this.bl[0]++;
    const lo = this.b0;
    while (j > lo && b[j - 1]!._key > key) {
      b[j] = b[j - 1];
      j--;
    }
    b[j] = event;
  }

  /** The minimum time in the lowest non-empty bucket above 0 (bucket 0 is spent, n > 0). */
  private lowestTime(): number {
    const k = this.maskLo !== 0 ? ctz(this.maskLo) : 32 + ctz(this.maskHi);
    const b = this.bk[k];
    let m = b[0]!._at;
    for (let i = 1, len = this.bl[k]; i < len; i++) {
      const t = b[i]!._at;
      if (t < m) m = t;
    }
    return m;
  }

  /**
   * Bucket 0 is spent and n > 0: make `m` (the lowest queued time) the new `last` and move the
   * lowest non-empty bucket's events down; those at m land in bucket 0, sorted by key.
   */
  private advance(m: number): void {
    const k = this.maskLo !== 0 ? ctz(this.maskLo) : 32 + ctz(this.maskHi);
    if (k < 32) this.maskLo &= ~(1 << k);
    else this.maskHi &= ~(1 << (k - 32));
    const src = this.bk[k];
    const len = this.bl[k];
    this.bl[k] = 0;
    this.last = m;
    const bk = this.bk;
    const bl = this.bl;
    const b0 = bk[0];
    let n0 = 0;
    let sorted = true;
    let maskLo = this.maskLo;
    let maskHi = this.maskHi;
    for (let i = 0; i < len; i++) {
      const e = src[i]!;
      src[i] = null;
      const t = e._at;
      if (t === m) {
        if (n0 > 0 && b0[n0 - 1]!._key > e._key) sorted = false;
        b0[n0++] = e;
        continue;
      }
      const j = bucketOf(t, m);
      bk[j][bl[j]++] = e;
      if (j < 32) maskLo |= 1 << j;
      else maskHi |= 1 << (j - 32);
    }
    this.maskLo = maskLo;
    this.maskHi = maskHi;
    this.b0 = 0;
    bl[0] = n0;
    if (!sorted) this.sortBucket0(n0);
  }

  /** Events at one time reach bucket 0 in bucket order, not always key order (rare: ties moved down). */
  private sortBucket0(n0: number): void {
    const b0 = this.bk[0];
    if (n0 <= 32) {
      for (let i = 1; i < n0; i++) {
        const e = b0[i]!;
        let j = i;
        while (j > 0 && b0[j - 1]!._key > e._key) {
          b0[j] = b0[j - 1];
          j--;
        }
        b0[j] = e;
      }
      return;
    }
    const s = b0.slice(0, n0) as SimEvent<any>[];
    s.sort((x, y) => x._key - y._key);
    for (let i = 0; i < n0; i++) b0[i] = s[i];
  }

  /** Removes the earliest event if its time is below `limit` (the queue is not empty); the clock is not moved. */
  private take(limit: number): SimEvent<any> | null {
    if (this.b0 === this.bl[0]) {
      const m = this.lowestTime();
      if (!(m < limit)) return null;
      this.advance(m);
    } else if (!(this.last < limit)) return null;
    const b0 = this.bk[0];
    const event = b0[this.b0]!;
    b0[this.b0++] = null;
    this.n--;
    return event;
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
      const event = this.take(limit);
      if (event === null) break;
      const time = this.last;
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
