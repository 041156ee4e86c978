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

/** The events queued at one time, in (priority, seq) order from `head` on (DESIGN: Kernel). */
interface Bucket {
  time: number;
  evs: SimEvent<any>[];
  head: number;
}

export class Environment {
  private _now: number;
  // The event queue (DESIGN: Kernel): a binary min-heap of DISTINCT times as a structure of
  // arrays (slot i holds times[i] and buckets[i]; h slots in use), each time's events in a bucket
  // found through `byTime`. Sequence numbers only grow, so an event whose priority is not below
  // the bucket's last one is appended; otherwise it is inserted by its key (priority * 2^44 + seq).
  // The heap compares times only. n counts queued events.
  private times = new Float64Array(256);
  private buckets: (Bucket | null)[] = new Array<Bucket | null>(256).fill(null);
  private h = 0;
  // byTime: open addressing with linear probing (keys -1 = empty), at most half full.
  private hKeys = new Float64Array(512).fill(-1);
  private hVals: (Bucket | null)[] = new Array<Bucket | null>(512).fill(null);
  private hMask = 511;
  private free: Bucket[] = [];
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
    this.n++;
    const keys = this.hKeys;
    const mask = this.hMask;
    let slot = Math.imul(time | 0, 0x9e3779b1) & mask;
    let k: number;
    while ((k = keys[slot]) !== time && k !== -1) slot = (slot + 1) & mask;
    if (k === time) {
      const b = this.hVals[slot]!;
      const evs = b.evs;
      let j = evs.length;
      if (evs[j - 1]._key < key) {
        evs.push(event);
        return;
      }
      // A lower priority value after a higher one: insert by key (seq keeps equal priorities FIFO).
      evs.push(event);
      const lo = b.head;
      while (j > lo && evs[j - 1]._key > key) {
        evs[j] = evs[j - 1];
        j--;
      }
      evs[j] = event;
      return;
    }
    const nb = this.free.length > 0 ? this.free.pop()! : { time: 0, evs: [], head: 0 };
    nb.time = time;
    nb.evs.push(event);
    keys[slot] = time;
    this.hVals[slot] = nb;
    let i = this.h++;
    if (i === this.times.length) this.grow();
    if (2 * this.h > mask) this.rehash();
    const times = this.times;
    const buckets = this.buckets;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const tp = times[p];
      if (tp < time) break;
      times[i] = tp;
      buckets[i] = buckets[p];
      i = p;
    }
    times[i] = time;
    buckets[i] = nb;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    this.times = times;
    const buckets = this.buckets;
    for (let i = buckets.length; i < cap; i++) buckets.push(null);
  }

  private rehash(): void {
    const oldK = this.hKeys;
    const oldV = this.hVals;
    const size = oldK.length * 2;
    const mask = size - 1;
    const keys = new Float64Array(size).fill(-1);
    const vals = new Array<Bucket | null>(size).fill(null);
    for (let i = 0; i < oldK.length; i++) {
      const t = oldK[i];
      if (t === -1) continue;
      let slot = Math.imul(t | 0, 0x9e3779b1) & mask;
      while (keys[slot] !== -1) slot = (slot + 1) & mask;
      keys[slot] = t;
      vals[slot] = oldV[i];
    }
    this.hKeys = keys;
    this.hVals = vals;
    this.hMask = mask;
  }

  /** Removes a time from byTime (it is there), shifting back the probe chain after it. */
  private unmap(time: number): void {
    const keys = this.hKeys;
    const vals = this.hVals;
    const mask = this.hMask;
    let i = Math.imul(time | 0, 0x9e3779b1) & mask;
    while (keys[i] !== time) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const t = keys[j];
      if (t === -1) break;
      const home = Math.imul(t | 0, 0x9e3779b1) & mask;
      // Move j's entry into the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? i < home && home <= j : i < home || home <= j) continue;
      keys[i] = t;
      vals[i] = vals[j];
      i = j;
    }
    keys[i] = -1;
    vals[i] = null;
  }

  /** Removes the earliest event (the queue is not empty); the clock is not moved. */
  private pop(): SimEvent<any> {
    const b = this.buckets[0]!;
    const evs = b.evs;
    const top = evs[b.head];
    this.n--;
    if (++b.head < evs.length) return top;
    // The bucket is spent: drop its time from the heap and recycle it.
    evs.length = 0;
    b.head = 0;
    this.unmap(b.time);
    this.free.push(b);
    const times = this.times;
    const buckets = this.buckets;
    const n = --this.h;
    if (n > 0) {
      const t = times[n];
      const e = buckets[n]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let tc = times[c];
        const r = c + 1;
        if (r < n) {
          const tr = times[r];
          if (tr < tc) {
            c = r;
            tc = tr;
          }
        }
        if (t < tc) break;
        times[i] = tc;
        buckets[i] = buckets[c];
        i = c;
      }
      times[i] = t;
      buckets[i] = e;
    }
    buckets[n] = null;
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
