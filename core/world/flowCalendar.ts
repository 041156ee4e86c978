// When each transfer in progress ends, as one binary heap ordered by (end time, flow id) and
// driven by a single kernel timeout for the earliest. Under max-min sharing one start or end can
// re-rate every flow of a large component; moving an entry in this heap costs O(log F) and leaves
// no stale kernel event behind, where a kernel timeout per re-rate would pile them up in the
// event queue. Flows ending at the same time end in flow-id order, inside one kernel event.
import type { Environment, SimEvent } from "../des/index.ts";
import { Timeout } from "../des/index.ts";
import { KernelError } from "../errors.ts";

/** What the calendar needs of a flow: a unique id, its end time and its heap slot (-1 = none). */
export interface CalendarEntry {
  readonly id: number;
  due: number;
  slot: number;
}

export class FlowCalendar<F extends CalendarEntry> {
  private readonly env: Environment;
  private readonly onDue: (f: F) => void;
  private readonly heap: F[] = [];
  private timer: Timeout<undefined> | null = null;
  private timerAt = Infinity;
  private running = false;
  private readonly fire = (ev: SimEvent<any>) => this.onTimer(ev as Timeout<undefined>);

  constructor(env: Environment, onDue: (f: F) => void) {
    this.env = env;
    this.onDue = onDue;
  }

  get pending(): number {
    return this.heap.length;
  }

  /** Sets `f` to end at absolute time `at` (inserting it or moving it). Call arm() after a batch. */
  set(f: F, at: number): void {
    if (!Number.isSafeInteger(at) || at < this.env.now) throw new KernelError(`flow calendar: flow ${f.id} due at ${at}, before now (${this.env.now})`);
    f.due = at;
    if (f.slot < 0) {
      f.slot = this.heap.length;
      this.heap.push(f);
    }
    if (!this.up(f.slot)) this.down(f.slot);
  }

  /** Takes `f` out if it is in. */
  remove(f: F): void {
    const i = f.slot;
    if (i < 0) return;
    f.slot = -1;
    const last = this.heap.pop()!;
    if (i < this.heap.length) {
      this.heap[i] = last;
      last.slot = i;
      if (!this.up(i)) this.down(i);
    }
  }

  private before(a: F, b: F): boolean {
    return a.due < b.due || (a.due === b.due && a.id < b.id);
  }

  /** Moves slot i up while its parent ends later; whether it moved. */
  private up(i: number): boolean {
    const h = this.heap;
    const f = h[i];
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(f, h[p])) break;
      h[i] = h[p];
      h[i].slot = i;
      i = p;
    }
    h[i] = f;
    f.slot = i;
    return i !== start;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const f = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.before(h[c + 1], h[c])) c++;
      if (!this.before(h[c], f)) break;
      h[i] = h[c];
      h[i].slot = i;
      i = c;
    }
    h[i] = f;
    f.slot = i;
  }

  /** Keeps one kernel timeout at the earliest end; a replaced timeout is ignored when it fires. */
  arm(): void {
    if (this.running) return; // onTimer arms once it has run every due flow
    const next = this.heap.length > 0 ? this.heap[0].due : Infinity;
    if (next === this.timerAt) return;
    this.timerAt = next;
    this.timer = null;
    if (next === Infinity) return;
    this.timer = new Timeout<undefined>(this.env, next - this.env.now);
    this.timer.addCallback(this.fire);
  }

  private onTimer(t: Timeout<undefined>): void {
    if (t !== this.timer) return;
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.env.now;
    this.running = true;
    try {
      while (this.heap.length > 0 && this.heap[0].due <= now) {
        const f = this.heap[0];
        this.remove(f);
        this.onDue(f);
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }
}
