// Processes: generator functions that yield events (SimPy's Process), with interrupts.
import { KernelError } from "../errors.ts";
import type { Environment } from "./environment.ts";
import { SimEvent, URGENT } from "./event.ts";

/** What a process body is: a generator yielding events, receiving their values. */
export type ProcessGenerator<T = unknown> = Generator<SimEvent<any>, T, any>;

/** Thrown into a process by interrupt(); `cause` says why. */
export class Interrupt extends Error {
  override name = "Interrupt";
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super(`interrupted: ${typeof cause === "string" ? cause : JSON.stringify(cause) ?? String(cause)}`);
    this.cause = cause;
  }
}

/** A running generator; as an event it triggers when the generator returns (or throws). */
export class Process<T = unknown> extends SimEvent<T> {
  private readonly gen: ProcessGenerator<T>;
  /** The event this process waits for now (null while running or finished). */
  target: SimEvent<any> | null = null;
  private readonly resumeCb = (ev: SimEvent<any>) => this.resume(ev);

  constructor(env: Environment, gen: ProcessGenerator<T>, name?: string) {
    super(env, name ?? "Process");
    if (gen === null || typeof gen !== "object" || typeof (gen as any).next !== "function") {
      throw new KernelError(`process() needs a generator object, got ${String(gen)}`);
    }
    this.gen = gen;
    // Start at the current time, before NORMAL events (SimPy's Initialize).
    const init = new SimEvent<undefined>(env, "Initialize");
    init.addCallback(this.resumeCb);
    init.succeed(undefined, URGENT);
    this.target = init;
  }

  get isAlive(): boolean {
    return !this.triggered;
  }

  /** Throw an Interrupt into this process at the current time. */
  interrupt(cause: unknown = null): void {
    if (this.triggered) throw new KernelError(`${this.describe()} has terminated and cannot be interrupted`);
    if (this.env.activeProcess === this) throw new KernelError(`${this.describe()} cannot interrupt itself`);
    const ev = new SimEvent<Interrupt>(this.env, "Interruption");
    ev.addCallback(() => {
      if (this.triggered) return; // finished in the meantime
      // Stop waiting on the old target.
      const t = this.target;
      if (t !== null) t.removeCallback(this.resumeCb);
      this.step(false, new Interrupt(cause));
    });
    ev.succeed(undefined as any, URGENT);
  }

  private resume(ev: SimEvent<any>): void {
    if (ev.ok) this.step(true, ev.value);
    else {
      ev.defused = true;
      this.step(false, ev.value);
    }
  }

  private step(ok: boolean, value: unknown): void {
    const env = this.env;
    env.activeProcess = this;
    let next: SimEvent<any>;
    for (;;) {
      let r: IteratorResult<SimEvent<any>, T>;
      try {
        r = ok ? this.gen.next(value) : this.gen.throw(value);
      } catch (err) {
        env.activeProcess = null;
        this.target = null;
        this.fail(err instanceof Error ? err : new KernelError(`process threw a non-Error: ${String(err)}`));
        return;
      }
      if (r.done) {
        env.activeProcess = null;
        this.target = null;
        this.succeed(r.value);
        return;
      }
      next = r.value;
      if (!(next instanceof SimEvent)) {
        ok = false;
        value = new KernelError(`${this.describe()} yielded ${String(next)}, which is not an event`);
        continue;
      }
      if (!next.processed) break; // pending or scheduled: wait for it
      // Already processed: continue immediately with its outcome.
      if (next.ok) {
        ok = true;
        value = next.value;
      } else {
        next.defused = true;
        ok = false;
        value = next.value;
      }
    }
    next.addCallback(this.resumeCb);
    this.target = next;
    env.activeProcess = null;
  }
}
