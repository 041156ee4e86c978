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
    if (i < 0) {
      i = this.size++;
      this.ids[i] = id;
      this.pos[id] = i;
    }
    this.times[i] = at;
    this.up(this.down(i));
    this.arm();
  }

  /** Removes node `id`'s entry if it has one. */
  cancel(id: number): void {
    const i = this.pos[id];
    if (i < 0) return;
    this.removeAt(i);
    this.arm();
  }

  private less(a: number, b: number): boolean {
    const ta = this.times[a];
    const tb = this.times[b];
    return ta < tb || (ta === tb && this.ids[a] < this.ids[b]);
  }

  private swap(a: number, b: number): void {
    const t = this.times[a];
    this.times[a] = this.times[b];
    this.times[b] = t;
    const id = this.ids[a];
    this.ids[a] = this.ids[b];
    this.ids[b] = id;
    this.pos[this.ids[a]] = a;
    this.pos[this.ids[b]] = b;
  }

  private up(i: number): number {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
    return i;
  }

  private down(i: number): number {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) return i;
      const c = l + 1 < this.size && this.less(l + 1, l) ? l + 1 : l;
      if (!this.less(c, i)) return i;
      this.swap(i, c);
      i = c;
    }
  }

  private removeAt(i: number): void {
    const last = --this.size;
    this.pos[this.ids[i]] = -1;
    if (i !== last) {
      this.times[i] = this.times[last];
      this.ids[i] = this.ids[last];
      this.pos[this.ids[i]] = i;
      this.up(this.down(i));
    }
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
