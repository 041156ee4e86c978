// A calendar of one pending time per node, kept in typed arrays (a binary heap ordered by
// (time, node id)) and driven by a single kernel timeout for the earliest entry. A million
// nodes' churn timers then cost ~20 bytes each and no garbage, instead of a kernel event
// object per node. Entries due at the same time run in node-id order, inside one kernel event.
import type { Environment, SimEvent } from "../des/index.ts";
import { Timeout } from "../des/index.ts";
import { KernelError } from "../errors.ts";

export class NodeCalendar {
  private readonly env: Environment;
  private readonly onDue: (id: number) => void;
  private times: Float64Array;
  private ids: Int32Array;
  /** Heap position of each node's entry, -1 when it has none. */
  private pos: Int32Array;
  private size = 0;
  private timer: Timeout<undefined> | null = null;
  private timerAt = Infinity;
  private readonly fire = (ev: SimEvent<any>) => this.onTimer(ev as Timeout<undefined>);

  constructor(env: Environment, nodes: number, onDue: (id: number) => void) {
    this.env = env;
    this.onDue = onDue;
    const n = Math.max(1, nodes);
    this.times = new Float64Array(n);
    this.ids = new Int32Array(n);
    this.pos = new Int32Array(n).fill(-1);
  }

  get pending(): number {
    return this.size;
  }

  /** Sets node `id`'s entry to absolute time `at` (replacing any earlier entry of that node). */
  schedule(id: number, at: number): void {
    if (!Number.isSafeInteger(at) || at < this.env.now) throw new KernelError(`calendar: node ${id} scheduled at ${at}, before now (${this.env.now})`);
    if (id >= this.pos.length) throw new KernelError(`calendar: no node ${id} (capacity ${this.pos.length})`);
    let i = this.pos[id];
    if (i < 0) i = this.size++;
    this.place(i, id, at);
    this.arm();
  }

  /** Removes node `id`'s entry if it has one. */
  cancel(id: number): void {
    const i = this.pos[id];
    if (i < 0) return;
    this.removeAt(i);
    this.arm();
  }

  /**
   * Puts (id, at) into heap slot i, whose old content is no longer needed, and restores the heap
   * order by moving the hole up or down: entries shift into it, the new entry is written once.
   * Order: time, then node id.
   */
  private place(i: number, id: number, at: number): void {
    const times = this.times;
    const ids = this.ids;
    const pos = this.pos;
    // Up, while the parent is later.
    let moved = false;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const tp = times[p];
      if (tp < at || (tp === at && ids[p] < id)) break;
      times[i] = tp;
      ids[i] = ids[p];
      pos[ids[i]] = i;
      i = p;
      moved = true;
    }
    if (!moved) {
      // Down, while a child is earlier.
      const n = this.size;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        let tc = times[c];
        const r = c + 1;
        if (r < n) {
          const tr = times[r];
          if (tr < tc || (tr === tc && ids[r] < ids[c])) {
            c = r;
            tc = tr;
          }
        }
        if (at < tc || (at === tc && id < ids[c])) break;
        times[i] = tc;
        ids[i] = ids[c];
        pos[ids[i]] = i;
        i = c;
      }
    }
    times[i] = at;
    ids[i] = id;
    pos[id] = i;
  }

  private removeAt(i: number): void {
    const last = --this.size;
    this.pos[this.ids[i]] = -1;
    if (i !== last) this.place(i, this.ids[last], this.times[last]);
  }

  /** Keeps one kernel timeout at the earliest entry; a replaced timeout is ignored when it fires. */
  private arm(): void {
    const next = this.size > 0 ? this.times[0] : Infinity;
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
    while (this.size > 0 && this.times[0] <= now) {
      const id = this.ids[0];
      this.removeAt(0);
      this.onDue(id);
    }
    this.arm();
  }
}
