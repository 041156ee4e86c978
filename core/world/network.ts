// The network: a message takes one-way latency (region matrix + last miles + jitter) plus its
// bytes over bandwidth shared at flow level: each active transfer gets an equal share of its
// sender's uplink and of its receiver's downlink (the smaller of the two), and rates are
// recomputed for the flows touching a node whenever a flow there starts or ends (DESIGN: World).
// Loss, partitions and down nodes make a delivery fail; it then resolves with delivered=false.
import type { Environment, RngStreams } from "../des/index.ts";
import { NORMAL, SimEvent, Timeout } from "../des/index.ts";
import { ConfigError } from "../errors.ts";
import { CounterStream } from "./counterStream.ts";
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

export interface NetworkOptions {
  /** Probability that a message is lost in flight. */
  loss: number;
  /** Mean extra latency as a fraction of the base latency (exponentially distributed). */
  jitter: number;
  /** Probability that a delivered message arrives malformed (default 0). */
  corrupt?: number;
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
  timer: Timeout<Flow> | null = null;
  constructor(
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
  private readonly onFlowDone = (ev: SimEvent<any>) => this.finish(ev as Timeout<Flow>);
  /** Counters for summaries. */
  readonly stats = { sent: 0, delivered: 0, lost: 0, partition: 0, down: 0, corrupted: 0, bytesSent: 0, activeFlows: 0, peakFlows: 0 };

  constructor(env: Environment, streams: RngStreams, nodes: readonly WorldNode[], options: NetworkOptions) {
    if (!(options.loss >= 0 && options.loss <= 1)) throw new ConfigError(`network.loss must be in [0, 1], got ${options.loss}`);
    if (!(options.jitter >= 0) || !Number.isFinite(options.jitter)) throw new ConfigError(`network.jitter must be >= 0, got ${options.jitter}`);
    const corrupt = options.corrupt ?? 0;
    if (!(corrupt >= 0 && corrupt <= 1)) throw new ConfigError(`network.corrupt must be in [0, 1], got ${corrupt}`);
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
    const lost = this.options.loss > 0 && this.draws.bernoulli(from, this.options.loss);
    const flow = new Flow(from, to, bytes, env.now, lost, ev);
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

  /** Recompute rates of every flow leaving `from` or entering `to`. */
  private reshare(from: number, to: number): void {
    const out = this.outFlows[from];
    if (out !== undefined) for (let i = 0; i < out.length; i++) this.rerate(out[i]);
    const inn = this.inFlows[to];
    if (inn !== undefined) for (let i = 0; i < inn.length; i++) if (inn[i].from !== from) this.rerate(inn[i]);
  }

  private rerate(f: Flow): void {
    const now = this.env.now;
    if (f.rate > 0) {
      f.remaining -= f.rate * (now - f.last);
      if (f.remaining < 0) f.remaining = 0;
    }
    f.last = now;
    const up = this.nodes[f.from].upBytesPerUs / this.outFlows[f.from]!.length;
    const down = this.nodes[f.to].downBytesPerUs / this.inFlows[f.to]!.length;
    const rate = up < down ? up : down;
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
    f.remaining = 0;
    this.detach(f);
    this.reshare(f.from, f.to);
    this.arrive(f);
  }

  private detach(f: Flow): void {
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
    // Whether it got through is decided on arrival (partitions and crashes in the meantime), by a
    // callback that runs before any waiter sees the delivery.
    f.ev.callbacks!.unshift(this.onArrival);
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
      this.stats.down++;
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

  /** Transfers in progress at a node (for tests and load metrics). */
  flowsAt(id: number): { out: number; in: number } {
    return { out: this.outFlows[id]?.length ?? 0, in: this.inFlows[id]?.length ?? 0 };
  }
}
