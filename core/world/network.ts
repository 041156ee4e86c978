// The network: a message takes one-way latency (region matrix + last miles + jitter) plus its
// bytes over bandwidth shared at flow level (DESIGN: World). Each transfer crosses its sender's
// uplink and its receiver's downlink. `max-min` (default): max-min fair rates by progressive
// filling (core/world/maxMin.ts), recomputed for the connected component of flows (flows linked
// through shared uplinks/downlinks) that a start or an end touches. `equal-share`: each transfer
// gets the smaller of an equal share of the uplink and of the downlink, recomputed for the flows
// at the two nodes; capacity a slower receiver leaves unused is not handed to the others.
// Loss, partitions and down nodes make a delivery fail; it then resolves with delivered=false.
import type { Environment, RngStreams } from "../des/index.ts";
import { MAX_PRIORITY, NORMAL, SimEvent, Timeout } from "../des/index.ts";
import { ConfigError } from "../errors.ts";
import { CounterStream } from "./counterStream.ts";
import { FlowCalendar } from "./flowCalendar.ts";
import { progressiveFilling } from "./maxMin.ts";
import type { WorldNode } from "./node.ts";
import { REGION_NAMES, latencyTableUs } from "./regions.ts";

export type LossReason = "lost" | "partition" | "down";

export interface Delivery {
  from: number;
  to: number;
  bytes: number;
  sentAt: number;
  /** When the last byte arrived (or the attempt ended). */
  arrivedAt: number;
  delivered: boolean;
  reason?: LossReason;
  /** Arrived, but the payload is malformed (network.corrupt); the receiver should reject it. */
  corrupted?: boolean;
}

/** How concurrent transfers share access links (DESIGN: World). */
export const SHARING_MODES = ["max-min", "equal-share"] as const;
export type Sharing = (typeof SHARING_MODES)[number];

export interface NetworkOptions {
  /** Probability that a message is lost in flight. */
  loss: number;
  /** Mean extra latency as a fraction of the base latency (exponentially distributed). */
  jitter: number;
  /** Probability that a delivered message arrives malformed (default 0). */
  corrupt?: number;
  /** Bandwidth sharing between concurrent transfers (default max-min). */
  sharing?: Sharing;
}

/** A delivery that can be scheduled for a later time with its value already set. */
export class DeliveryEvent extends SimEvent<Delivery> {
  resolveAfter(delay: number, d: Delivery): void {
    this.preset(d, true);
    this.env.schedule(this, NORMAL, delay);
  }
}

class Flow {
  remaining: number;
  rate = 0;
  last: number;
  /** Equal-share: the kernel timeout at its end (re-rating replaces it; stale ones are ignored). */
  timer: Timeout<Flow> | null = null;
  /** Max-min: its end time and slot in the network's FlowCalendar (-1 = not in it). */
  due = 0;
  slot = -1;
  /** Index in the component being shared out (max-min). */
  local = 0;
  constructor(
    readonly id: number,
    readonly from: number,
    readonly to: number,
    readonly bytes: number,
    readonly sentAt: number,
    readonly lost: boolean,
    readonly ev: DeliveryEvent,
  ) {
    this.remaining = bytes;
    this.last = sentAt;
  }
}

function removeFrom(list: Flow[], f: Flow): void {
  const i = list.indexOf(f);
  if (i >= 0) {
    list[i] = list[list.length - 1];
    list.pop();
  }
}

export class Network {
  private readonly env: Environment;
  private readonly nodes: readonly WorldNode[];
  private readonly options: NetworkOptions;
  private readonly latency = latencyTableUs();
  private readonly R = REGION_NAMES.length;
  // Dense per-node tables (filled, so engines keep them as plain arrays, not dictionaries).
  /** Loss and jitter draws, per sender. */
  private readonly draws: CounterStream;
  private readonly outFlows: (Flow[] | undefined)[];
  private readonly inFlows: (Flow[] | undefined)[];
  /** Partition group of each region, -1 when the region is not partitioned. */
  private readonly regionGroup: Int8Array;
  private readonly maxMin: boolean;
  // Max-min component search, per resource (uplink of node i = 2i, downlink = 2i + 1); allocated
  // on the first transfer, so worlds without traffic pay nothing per node.
  private seen: Int32Array | null = null;
  private localOf: Int32Array | null = null;
  /** The component's resources in search order (scratch), and its flows (scratch, reused). */
  private resBuf: Int32Array | null = null;
  private readonly flowBuf: Flow[] = [];
  private epoch = 0;
  // Max-min: resources whose component a start or end touched at this instant, refilled together
  // by one kernel event at the instant's lowest priority (MAX_PRIORITY), after every other event
  // queued for it: a collective that starts N transfers at once refills its component once, not
  // N times. No time passes in between, so no byte moves at a stale rate.
  private dirty: number[] = [];
  private refillQueued = false;
  /** Max-min refills done (one per instant with starts or ends; activeFlows() may do it early). */
  refills = 0;
  private readonly onRefill = (): void => {
    this.refillQueued = false;
    this.refillDirty();
  };
  private flowSeq = 0;
  private readonly ends: FlowCalendar<Flow>;
  private readonly onFlowDone = (ev: SimEvent<any>) => this.finish(ev as Timeout<Flow>);
  /** Counters for summaries. */
  readonly stats = { sent: 0, delivered: 0, lost: 0, partition: 0, down: 0, corrupted: 0, bytesSent: 0, activeFlows: 0, peakFlows: 0 };

  constructor(env: Environment, streams: RngStreams, nodes: readonly WorldNode[], options: NetworkOptions) {
    if (!(options.loss >= 0 && options.loss <= 1)) throw new ConfigError(`network.loss must be in [0, 1], got ${options.loss}`);
    if (!(options.jitter >= 0) || !Number.isFinite(options.jitter)) throw new ConfigError(`network.jitter must be >= 0, got ${options.jitter}`);
    const corrupt = options.corrupt ?? 0;
    if (!(corrupt >= 0 && corrupt <= 1)) throw new ConfigError(`network.corrupt must be in [0, 1], got ${corrupt}`);
    const sharing = options.sharing ?? "max-min";
    if (!SHARING_MODES.includes(sharing)) throw new ConfigError(`network.sharing must be one of ${SHARING_MODES.join(", ")}, got ${JSON.stringify(sharing)}`);
    this.maxMin = sharing === "max-min";
    this.ends = new FlowCalendar<Flow>(env, (f) => this.end(f));
    this.env = env;
    this.nodes = nodes;
    this.options = options;
    this.regionGroup = new Int8Array(this.R).fill(-1);
    this.draws = new CounterStream(streams, nodes.length, "world", "network");
    this.outFlows = new Array(nodes.length).fill(undefined);
    this.inFlows = new Array(nodes.length).fill(undefined);
  }

  private node(id: number): WorldNode {
    const n = this.nodes[id];
    if (n === undefined) throw new ConfigError(`network: no node ${id} (there are ${this.nodes.length})`);
    return n;
  }

  /** One-way base latency from a to b in microseconds (no jitter). */
  baseLatencyUs(from: number, to: number): number {
    const a = this.node(from);
    const b = this.node(to);
    return this.latency[a.regionIndex * this.R + b.regionIndex] + a.link.accessLatencyUs + b.link.accessLatencyUs;
  }

  /** Send `bytes` from one node to another; resolves when the last byte arrives or the attempt fails. */
  send(from: number, to: number, bytes: number): SimEvent<Delivery> {
    const src = this.node(from);
    this.node(to);
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new ConfigError(`network.send: bytes must be a finite number >= 0, got ${bytes}`);
    const env = this.env;
    const ev = new DeliveryEvent(env, "Delivery");
    this.stats.sent++;
    if (!src.available) {
      this.stats.down++;
      ev.resolveAfter(0, { from, to, bytes, sentAt: env.now, arrivedAt: env.now, delivered: false, reason: "down" });
      return ev;
    }
    if (from === to) {
      // A node talking to itself: no network, delivered at once.
      this.stats.delivered++;
      ev.resolveAfter(0, { from, to, bytes, sentAt: env.now, arrivedAt: env.now, delivered: true });
      return ev;
    }
    this.stats.bytesSent += bytes;
    // Whether it got through is decided on arrival (partitions and crashes in the meantime), by a
    // callback registered before the caller's, so it runs before any waiter sees the delivery.
    ev.addCallback(this.onArrival);
    const lost = this.options.loss > 0 && this.draws.bernoulli(from, this.options.loss);
    const flow = new Flow(this.flowSeq++, from, to, bytes, env.now, lost, ev);
    if (bytes === 0) {
      this.arrive(flow);
      return ev;
    }
    const out = (this.outFlows[from] ??= []);
    const inn = (this.inFlows[to] ??= []);
    out.push(flow);
    inn.push(flow);
    this.stats.activeFlows++;
    if (this.stats.activeFlows > this.stats.peakFlows) this.stats.peakFlows = this.stats.activeFlows;
    this.reshare(from, to);
    return ev;
  }

  /** Recompute rates after a flow from `from` to `to` started or ended. */
  private reshare(from: number, to: number): void {
    if (this.maxMin) {
      this.markDirty(2 * from, 2 * to + 1);
      return;
    }
    const out = this.outFlows[from];
    if (out !== undefined) for (let i = 0; i < out.length; i++) this.rerate(out[i]);
    const inn = this.inFlows[to];
    if (inn !== undefined) for (let i = 0; i < inn.length; i++) if (inn[i].from !== from) this.rerate(inn[i]);
  }

  private markDirty(up: number, down: number): void {
    this.dirty.push(up, down);
    if (this.refillQueued) return;
    this.refillQueued = true;
    const ev = new SimEvent(this.env, "network.refill");
    ev.addCallback(this.onRefill);
    this.env.schedule(ev, MAX_PRIORITY, 0);
  }

  /** Refills the components of the resources marked dirty, if any. */
  private refillDirty(): void {
    if (this.dirty.length === 0) return;
    const seeds = this.dirty;
    this.dirty = [];
    this.refill(seeds);
  }

  /** Equal share: the smaller of the uplink's and the downlink's share. */
  private rerate(f: Flow): void {
    const up = this.nodes[f.from].upBytesPerUs / this.outFlows[f.from]!.length;
    const down = this.nodes[f.to].downBytesPerUs / this.inFlows[f.to]!.length;
    this.setRate(f, up < down ? up : down);
  }

  /**
   * Max-min: recompute the rates of every flow in the components holding the `seeds` resources
   * (2i = uplink of node i, 2i + 1 = its downlink), found by breadth-first search over the flows.
   */
  private refill(seeds: readonly number[]): void {
    this.refills++;
    if (this.seen === null) {
      this.seen = new Int32Array(2 * this.nodes.length);
      this.localOf = new Int32Array(2 * this.nodes.length);
      this.resBuf = new Int32Array(2 * this.nodes.length);
    }
    if (this.epoch === 0x7fffffff) {
      this.seen.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    const seen = this.seen;
    const localOf = this.localOf!;
    const resBuf = this.resBuf!;
    let nRes = 0;
    const visit = (g: number): void => {
      if (seen[g] !== epoch) {
        seen[g] = epoch;
        localOf[g] = nRes;
        resBuf[nRes++] = g;
      }
    };
    for (const g of seeds) visit(g);
    const flows = this.flowBuf;
    let nFlows = 0;
    for (let q = 0; q < nRes; q++) {
      const g = resBuf[q];
      if ((g & 1) === 0) {
        const out = this.outFlows[g >> 1];
        if (out === undefined) continue;
        for (let i = 0; i < out.length; i++) {
          const f = out[i];
          f.local = nFlows;
          flows[nFlows++] = f;
          visit(2 * f.to + 1);
        }
      } else {
        const inn = this.inFlows[g >> 1];
        if (inn === undefined) continue;
        for (let i = 0; i < inn.length; i++) visit(2 * inn[i].from);
      }
    }
    flows.length = nFlows;
    const res = resBuf.subarray(0, nRes);
    if (flows.length === 0) {
      this.ends.arm(); // ends may have been removed
      return;
    }
    if (flows.length === 1) {
      // A flow alone in its component: the smaller of its two capacities (what filling gives).
      const f = flows[0];
      const up = this.nodes[f.from].upBytesPerUs;
      const down = this.nodes[f.to].downBytesPerUs;
      this.setRate(f, up < down ? up : down);
      this.ends.arm();
      return;
    }
    const R = res.length;
    const capacity = new Float64Array(R);
    const atStart = new Int32Array(R + 1);
    const at = new Int32Array(2 * flows.length);
    let k = 0;
    for (let r = 0; r < R; r++) {
      const g = res[r];
      const node = this.nodes[g >> 1];
      const list = (g & 1) === 0 ? this.outFlows[g >> 1] : this.inFlows[g >> 1];
      capacity[r] = (g & 1) === 0 ? node.upBytesPerUs : node.downBytesPerUs;
      if (list !== undefined) for (let i = 0; i < list.length; i++) at[k++] = list[i].local;
      atStart[r + 1] = k;
    }
    const flowA = new Int32Array(flows.length);
    const flowB = new Int32Array(flows.length);
    for (let i = 0; i < flows.length; i++) {
      flowA[i] = localOf[2 * flows[i].from];
      flowB[i] = localOf[2 * flows[i].to + 1];
    }
    const rates = new Float64Array(flows.length);
    progressiveFilling({ capacity, key: res, flowA, flowB, atStart, at }, rates);
    for (let i = 0; i < flows.length; i++) this.setRate(flows[i], rates[i]);
    this.ends.arm();
  }

  /** Brings a flow's remaining bytes up to now at its old rate, then runs it at `rate`. */
  private setRate(f: Flow, rate: number): void {
    const now = this.env.now;
    if (f.rate > 0) {
      f.remaining -= f.rate * (now - f.last);
      if (f.remaining < 0) f.remaining = 0;
    }
    f.last = now;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`network: flow ${f.from}->${f.to} got rate ${rate} (link capacities must be > 0)`);
    if (this.maxMin) {
      if (rate === f.rate && f.slot >= 0) return;
      f.rate = rate;
      this.ends.set(f, now + Math.ceil(f.remaining / rate)); // armed once the component is done
      return;
    }
    if (rate === f.rate && f.timer !== null) return;
    f.rate = rate;
    const t = new Timeout<Flow>(this.env, Math.ceil(f.remaining / rate), f);
    t.addCallback(this.onFlowDone);
    f.timer = t; // earlier timers of this flow are now stale and ignored
  }

  private finish(t: Timeout<Flow>): void {
    const f = t.value;
    if (f.timer !== t) return; // stale: the flow was re-rated or aborted
    f.timer = null;
    this.end(f);
  }

  /** The last byte of `f` has left: it frees its share, and arrives after the latency. */
  private end(f: Flow): void {
    f.remaining = 0;
    this.detach(f);
    this.reshare(f.from, f.to);
    this.arrive(f);
  }

  private detach(f: Flow): void {
    this.ends.remove(f);
    removeFrom(this.outFlows[f.from]!, f);
    removeFrom(this.inFlows[f.to]!, f);
    this.stats.activeFlows--;
  }

  /** Last byte has left the sender: it arrives after the one-way latency. */
  private arrive(f: Flow): void {
    let lat = this.baseLatencyUs(f.from, f.to);
    if (this.options.jitter > 0) lat += Math.round(lat * this.draws.exponential(f.from, this.options.jitter));
    const d: Delivery = { from: f.from, to: f.to, bytes: f.bytes, sentAt: f.sentAt, arrivedAt: this.env.now + lat, delivered: !f.lost };
    if (f.lost) d.reason = "lost";
    else if ((this.options.corrupt ?? 0) > 0 && this.draws.bernoulli(f.from, this.options.corrupt!)) d.corrupted = true;
    f.ev.resolveAfter(lat, d);
  }

  private readonly onArrival = (ev: SimEvent<any>): void => {
    const d = ev.value as Delivery;
    if (d.delivered) {
      const reason = this.blocked(d.from, d.to) ? "partition" : !this.nodes[d.to].available ? "down" : null;
      if (reason !== null) {
        d.delivered = false;
        d.reason = reason;
      }
    }
    if (d.delivered) {
      this.stats.delivered++;
      if (d.corrupted) this.stats.corrupted++;
    } else {
      delete d.corrupted;
      this.stats[d.reason!]++;
    }
  };

  /** Abort the transfers of a node that went down; their deliveries fail now. */
  abortFlowsOf(id: number): void {
    const touched = [...(this.outFlows[id] ?? []), ...(this.inFlows[id] ?? [])];
    for (const f of touched) {
      f.timer = null;
      this.detach(f);
      f.ev.resolveAfter(0, { from: f.from, to: f.to, bytes: f.bytes, sentAt: f.sentAt, arrivedAt: this.env.now, delivered: false, reason: "down" });
    }
    for (const f of touched) this.reshare(f.from, f.to);
  }

  /** Partition: regions in different groups cannot reach each other; unlisted regions reach all. */
  setPartition(groups: readonly (readonly number[])[] | null): void {
    this.regionGroup.fill(-1);
    if (groups === null) return;
    groups.forEach((g, gi) => {
      for (const r of g) this.regionGroup[r] = gi;
    });
  }

  blocked(from: number, to: number): boolean {
    const a = this.regionGroup[this.nodes[from].regionIndex];
    const b = this.regionGroup[this.nodes[to].regionIndex];
    return a >= 0 && b >= 0 && a !== b;
  }

  /** Every transfer in progress with its rate (bytes/us) as of the end of this instant, in the order they were sent (for tests). */
  activeFlows(): { id: number; from: number; to: number; rate: number }[] {
    // Rates as of the end of this instant: a refill still queued for it is done now (its kernel
    // event then finds nothing left to do and counts no refill).
    this.refillDirty();
    const all: { id: number; from: number; to: number; rate: number }[] = [];
    for (const out of this.outFlows) if (out !== undefined) for (const f of out) all.push({ id: f.id, from: f.from, to: f.to, rate: f.rate });
    return all.sort((a, b) => a.id - b.id);
  }

  /** Transfers in progress at a node (for tests and load metrics). */
  flowsAt(id: number): { out: number; in: number } {
    return { out: this.outFlows[id]?.length ?? 0, in: this.inFlows[id]?.length ?? 0 };
  }
}
