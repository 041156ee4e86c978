// Events of the kernel (the SimPy model): pending -> triggered (scheduled) -> processed.
import { KernelError } from "../errors.ts";
import type { Environment } from "./environment.ts";

/** Scheduling priorities: lower runs first among events at the same time. */
export const URGENT = 0;
export const NORMAL = 1;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const PENDING: unique symbol = Symbol("pending");

/** Bits of SimEvent._flags (internal to the kernel). */
export const OK = 1;
export const DEFUSED = 2;
export const DONE = 4;

export type Callback = (event: SimEvent<any>) => void;

/**
 * A thing that happens at one virtual time; processes yield it to wait for it.
 * Every event has the same fields, set in the constructor (one object shape, so the kernel's
 * dispatch sees one hidden class). Most events get exactly one callback: it lives in a field,
 * and an array is allocated only for a second one (DESIGN: Kernel).
 */
export class SimEvent<T = unknown> {
  readonly env: Environment;
  /** Internal (kernel): the first callback, or null. */
  _cb: Callback | null = null;
  /** Internal (kernel): callbacks after the first, in order, or null. */
  _cbs: Callback[] | null = null;
  /** Internal (kernel): priority * 2^44 + seq while queued; -1 before. */
  _key = -1;
  /** Internal (kernel): the time it is queued for while queued. */
  _at = -1;
  protected _value: T | typeof PENDING = PENDING;
  /** Internal (kernel): OK | DEFUSED | DONE bits. */
  _flags = OK;
  /** Optional label shown in errors and traces. */
  name: string | undefined;

  constructor(env: Environment, name?: string) {
    this.env = env;
    this.name = name;
  }

  get triggered(): boolean {
    return this._value !== PENDING;
  }
  get processed(): boolean {
    return (this._flags & DONE) !== 0;
  }
  get ok(): boolean {
    return (this._flags & OK) !== 0;
  }
  /** Set when a process or condition took responsibility for this event's failure. */
  get defused(): boolean {
    return (this._flags & DEFUSED) !== 0;
  }
  set defused(v: boolean) {
    this._flags = v ? this._flags | DEFUSED : this._flags & ~DEFUSED;
  }
  get value(): T {
    if (this._value === PENDING) throw new KernelError(`value of ${this.describe()} is not yet available`);
    return this._value as T;
  }

  describe(): string {
    return this.name ?? this.constructor.name;
  }

  /** Trigger with a value; callbacks run at the current time. Throws if already triggered. */
  succeed(value?: T, priority = NORMAL): this {
    if (this._value !== PENDING) throw new KernelError(`${this.describe()} has already been triggered`);
    this._flags |= OK;
    this._value = value as T;
    this.env.schedule(this, priority, 0);
    return this;
  }

  /** Trigger as failed; unless some waiter handles it, the run stops with this error. */
  fail(error: Error, priority = NORMAL): this {
    if (this._value !== PENDING) throw new KernelError(`${this.describe()} has already been triggered`);
    if (!(error instanceof Error)) throw new KernelError(`fail() needs an Error, got ${String(error)}`);
    this._flags &= ~OK;
    this._value = error as unknown as T;
    this.env.schedule(this, priority, 0);
    return this;
  }

  /** Copy the outcome of another (triggered) event; used as a callback. */
  trigger(other: SimEvent<T>): void {
    if (other.ok) this.succeed(other._value as T);
    else this.fail(other._value as unknown as Error);
  }

  /** Register a callback (run in registration order); if already processed, it is an error (the moment has passed). */
  addCallback(cb: Callback): void {
    if ((this._flags & DONE) !== 0) throw new KernelError(`${this.describe()} was already processed`);
    if (this._cb === null && this._cbs === null) this._cb = cb;
    else if (this._cbs === null) this._cbs = [cb];
    else this._cbs.push(cb);
  }

  /** Unregister the first registration of a callback; no effect if absent or already processed. */
  removeCallback(cb: Callback): void {
    if ((this._flags & DONE) !== 0) return;
    if (this._cb === cb) {
      const rest = this._cbs;
      this._cb = rest === null ? null : rest.shift()!;
      if (rest !== null && rest.length === 0) this._cbs = null;
      return;
    }
    const rest = this._cbs;
    if (rest === null) return;
    const i = rest.indexOf(cb);
    if (i >= 0) rest.splice(i, 1);
  }

  /** Internal: set value and ok without scheduling (Timeout, Initialize). */
  protected preset(value: T, ok: boolean): void {
    this._value = value;
    this._flags = ok ? this._flags | OK : this._flags & ~OK;
  }
}

/** An event that fires after an integer delay in microseconds. */
export class Timeout<T = undefined> extends SimEvent<T> {
  readonly delay: number;
  constructor(env: Environment, delay: number, value?: T) {
    super(env);
    // Number.isSafeInteger(delay) && delay >= 0, written out (it is on every Timeout's path).
    if (!(delay >= 0 && delay <= MAX_SAFE && Math.floor(delay) === delay)) {
      throw new KernelError(`timeout delay must be a non-negative integer of microseconds, got ${delay}`);
    }
    this.delay = delay;
    this._value = value as T;
    env.enqueue(this, NORMAL, env.now + delay);
  }
}

/** Waits for several events; AllOf / AnyOf. Its value lists the events that had fired, in the given order. */
export class Condition extends SimEvent<Map<SimEvent<any>, unknown>> {
  readonly events: SimEvent<any>[];
  private count = 0;
  private readonly needed: number;

  constructor(env: Environment, events: SimEvent<any>[], mode: "all" | "any") {
    super(env, mode === "all" ? "AllOf" : "AnyOf");
    this.events = events;
    for (const ev of events) {
      if (ev.env !== env) throw new KernelError("cannot mix events from different environments");
    }
    this.needed = mode === "all" ? events.length : Math.min(1, events.length);
    if (events.length === 0 || this.needed === 0) {
      this.succeed(new Map());
      return;
    }
    for (const ev of events) {
      if (ev.processed) this.check(ev);
      else ev.addCallback((e) => this.check(e));
    }
  }

  private check(ev: SimEvent<any>): void {
    if (this.triggered) return;
    this.count++;
    if (!ev.ok) {
      ev.defused = true;
      this.fail(ev.value as unknown as Error);
    } else if (this.count >= this.needed) {
      const values = new Map<SimEvent<any>, unknown>();
      for (const e of this.events) if (e.processed && e.ok) values.set(e, e.value);
      this.succeed(values);
    }
  }
}
