// Events of the kernel (the SimPy model): pending -> triggered (scheduled) -> processed.
import { KernelError } from "../errors.ts";
import type { Environment } from "./environment.ts";

/** Scheduling priorities: lower runs first among events at the same time. */
export const URGENT = 0;
export const NORMAL = 1;

const PENDING: unique symbol = Symbol("pending");

export type Callback = (event: SimEvent<any>) => void;

/** A thing that happens at one virtual time; processes yield it to wait for it. */
export class SimEvent<T = unknown> {
  readonly env: Environment;
  /** null once processed: callbacks have run. */
  callbacks: Callback[] | null = [];
  protected _value: T | typeof PENDING = PENDING;
  protected _ok = true;
  /** Set when a process or condition took responsibility for this event's failure. */
  defused = false;
  /** Optional label shown in errors and traces. */
  name?: string;

  constructor(env: Environment, name?: string) {
    this.env = env;
    if (name !== undefined) this.name = name;
  }

  get triggered(): boolean {
    return this._value !== PENDING;
  }
  get processed(): boolean {
    return this.callbacks === null;
  }
  get ok(): boolean {
    return this._ok;
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
    this._ok = true;
    this._value = value as T;
    this.env.schedule(this, priority, 0);
    return this;
  }

  /** Trigger as failed; unless some waiter handles it, the run stops with this error. */
  fail(error: Error, priority = NORMAL): this {
    if (this._value !== PENDING) throw new KernelError(`${this.describe()} has already been triggered`);
    if (!(error instanceof Error)) throw new KernelError(`fail() needs an Error, got ${String(error)}`);
    this._ok = false;
    this._value = error as unknown as T;
    this.env.schedule(this, priority, 0);
    return this;
  }

  /** Copy the outcome of another (triggered) event; used as a callback. */
  trigger(other: SimEvent<T>): void {
    if (other._ok) this.succeed(other._value as T);
    else this.fail(other._value as unknown as Error);
  }

  /** Register a callback; if already processed, it is an error (the moment has passed). */
  addCallback(cb: Callback): void {
    if (this.callbacks === null) throw new KernelError(`${this.describe()} was already processed`);
    this.callbacks.push(cb);
  }

  /** Internal: set value and ok without scheduling (Timeout, Initialize). */
  protected preset(value: T, ok: boolean): void {
    this._value = value;
    this._ok = ok;
  }
}

/** An event that fires after an integer delay in microseconds. */
export class Timeout<T = undefined> extends SimEvent<T> {
  readonly delay: number;
  constructor(env: Environment, delay: number, value?: T) {
    super(env);
    if (!Number.isSafeInteger(delay) || delay < 0) {
      throw new KernelError(`timeout delay must be a non-negative integer of microseconds, got ${delay}`);
    }
    this.delay = delay;
    this.preset(value as T, true);
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
