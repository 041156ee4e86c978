// The world: nodes built from the scenario's groups, their network, churn and partitions, and
// availability bookkeeping. Every random draw comes from a named stream (DESIGN: World).
import type { Environment, RngStreams } from "../des/index.ts";
import { Timeout } from "../des/index.ts";
import { exp } from "../des/math.ts";
import { ConfigError } from "../errors.ts";
import { Churn } from "./churn.ts";
import { CounterStream } from "./counterStream.ts";
import { HARDWARE, type HardwareName } from "./hardware.ts";
import { LINKS, type LinkName } from "./links.ts";
import { assignMix } from "./mix.ts";
import { Network } from "./network.ts";
import { WorldNode } from "./node.ts";
import { REGION_NAMES, regionIndex, type RegionName } from "./regions.ts";
import type { WorldSpec } from "./spec.ts";

export type ChangeListener = (node: WorldNode, available: boolean, reason: string) => void;
/** Where the world reports what happens to it (the runner connects this to the trace). */
export type WorldLog = (type: string, fields: Record<string, string | number | boolean | string[][]>) => void;

/** Above this many nodes a world is refused: a scenario typo, not a study. */
export const MAX_NODES = 10_000_000;

export class World {
  readonly env: Environment;
  readonly nodes: readonly WorldNode[];
  readonly network: Network;
  private readonly listeners: ChangeListener[] = [];
  private readonly churn: Churn;
  private readonly groupJitter: number[];
  private readonly computeDraws: CounterStream;
  private log: WorldLog | null = null;
  // Availability integral: sum over time of (nodes up), overall and per region.
  private upCount = 0;
  private readonly upByRegion = new Float64Array(REGION_NAMES.length);
  private readonly nodesByRegion = new Float64Array(REGION_NAMES.length);
  private upIntegral = 0;
  private readonly upIntegralByRegion = new Float64Array(REGION_NAMES.length);
  private lastChange: number;
  private readonly startTime: number;

  constructor(env: Environment, streams: RngStreams, spec: WorldSpec) {
    this.env = env;
    this.startTime = env.now;
    this.lastChange = env.now;
    this.groupJitter = spec.groups.map((g) => g.computeJitter ?? spec.computeJitter);
    const total = spec.groups.reduce((a, g) => a + g.count, 0);
    if (!Number.isSafeInteger(total) || total < 1 || total > MAX_NODES) {
      throw new ConfigError(`a world needs between 1 and ${MAX_NODES} nodes, got ${total}`);
    }
    const nodes: WorldNode[] = [];
    spec.groups.forEach((g, gi) => {
      const hw = assignMix(g.hardware, g.count, streams.stream("world", "group", gi, "hardware"));
      const rg = assignMix(g.regions, g.count, streams.stream("world", "group", gi, "regions"));
      const ln = assignMix(g.link, g.count, streams.stream("world", "group", gi, "link"));
      const slowRng = streams.stream("world", "group", gi, "slow");
      const churnRng = streams.stream("world", "group", gi, "churn");
      const churn = g.churn === undefined ? spec.churn : g.churn;
      for (let i = 0; i < g.count; i++) {
        const slow = g.slow !== undefined && slowRng.random() < g.slow.fraction ? g.slow.factor : 1;
        const churns = churn !== null && churnRng.random() < churn.fraction;
        const r = rg[i] as RegionName;
        nodes.push(new WorldNode(nodes.length, gi, r, regionIndex(r), HARDWARE[hw[i] as HardwareName], LINKS[ln[i] as LinkName], slow, churns));
      }
    });
    this.nodes = nodes;
    this.computeDraws = new CounterStream(streams, nodes.length, "world", "compute");
    this.network = new Network(env, streams, nodes, { loss: spec.network.loss, jitter: spec.network.jitter, corrupt: spec.network.corrupt ?? 0, sharing: spec.network.sharing ?? "max-min" });
    this.churn = new Churn(env, streams, this, nodes.length);
    for (const n of nodes) {
      this.nodesByRegion[n.regionIndex]++;
      const g = spec.groups[n.group];
      const churn = g.churn === undefined ? spec.churn : g.churn;
      if (n.churns && churn) n.available = this.churn.add(n.id, churn);
      if (n.available) {
        this.upCount++;
        this.upByRegion[n.regionIndex]++;
      }
    }
    for (const p of spec.network.partitions) this.schedulePartition(p.at, p.duration, p.groups);
  }

  /** Connects the world's own events (node up/down, partitions) to a log, usually the trace. */
  setLog(log: WorldLog | null): void {
    this.log = log;
  }

  /** Called with (node, available, reason) whenever a node goes up or down. */
  onChange(cb: ChangeListener): void {
    this.listeners.push(cb);
  }

  get size(): number {
    return this.nodes.length;
  }

  node(id: number): WorldNode {
    const n = this.nodes[id];
    if (n === undefined) throw new ConfigError(`no node ${id} (the world has ${this.nodes.length})`);
    return n;
  }

  isAvailable(id: number): boolean {
    return this.node(id).available;
  }

  /** Nodes currently up. */
  get availableCount(): number {
    return this.upCount;
  }

  /** Brings a node up or down (churn, crashes, adversaries); aborts its transfers when it goes down. */
  setAvailable(id: number, available: boolean, reason = "manual"): void {
    const n = this.node(id);
    if (n.available === available) return;
    this.accumulate();
    n.available = available;
    const d = available ? 1 : -1;
    this.upCount += d;
    this.upByRegion[n.regionIndex] += d;
    if (!available) this.network.abortFlowsOf(id);
    if (this.log !== null) this.log(available ? "node.up" : "node.down", { node: id, reason });
    for (const cb of this.listeners) cb(n, available, reason);
  }

  /** Takes a node down for good: it leaves churn and stays down (crash faults, retired nodes). */
  crash(id: number, reason = "crash"): void {
    this.churn.stop(id);
    this.setAvailable(id, false, reason);
  }

  private accumulate(): void {
    const dt = this.env.now - this.lastChange;
    if (dt > 0) {
      this.upIntegral += this.upCount * dt;
      for (let r = 0; r < this.upByRegion.length; r++) this.upIntegralByRegion[r] += this.upByRegion[r] * dt;
    }
    this.lastChange = this.env.now;
  }

  /**
   * Compute time in microseconds for `flops` on a node: FLOPs / (peak x efficiency), or, when
   * `bytesMoved` is given and memory-bound, bytes / memory bandwidth (a roofline), times the
   * node's slowdown and a seeded log-normal jitter.
   */
  computeTimeUs(nodeId: number, flops: number, bytesMoved = 0): number {
    const n = this.node(nodeId);
    if (!(flops >= 0) || !Number.isFinite(flops)) throw new ConfigError(`computeTimeUs: flops must be a finite number >= 0, got ${flops}`);
    if (!(bytesMoved >= 0) || !Number.isFinite(bytesMoved)) throw new ConfigError(`computeTimeUs: bytesMoved must be a finite number >= 0, got ${bytesMoved}`);
    const compute = flops / (n.hardware.peakFlops * n.hardware.efficiency);
    const memory = bytesMoved / n.hardware.memoryBandwidth;
    let us = (compute > memory ? compute : memory) * 1e6 * n.slowdown;
    const sigma = this.groupJitter[n.group];
    if (sigma > 0) us *= exp(sigma * this.computeDraws.of(nodeId).normal());
    return Math.ceil(us);
  }

  /** Whether `bytes` of model state fit in a node's device memory (out-of-memory is modelled). */
  fitsInMemory(nodeId: number, bytes: number): boolean {
    return bytes <= this.node(nodeId).hardware.memoryBytes;
  }

  private schedulePartition(at: number, duration: number, groups: RegionName[][]): void {
    const idx = groups.map((g) => g.map(regionIndex));
    const start = new Timeout(this.env, Math.max(0, at - this.env.now));
    start.addCallback(() => {
      this.network.setPartition(idx);
      if (this.log !== null) this.log("partition.start", { groups: groups.map((g) => [...g]) });
      new Timeout(this.env, duration).addCallback(() => {
        this.network.setPartition(null);
        if (this.log !== null) this.log("partition.end", {});
      });
    });
  }

  /** Time-averaged share of nodes up since the start, overall and by region (regions with nodes). */
  availability(): { overall: number; byRegion: Record<string, number> } {
    this.accumulate();
    const span = this.env.now - this.startTime;
    const byRegion: Record<string, number> = {};
    for (let r = 0; r < REGION_NAMES.length; r++) {
      if (this.nodesByRegion[r] === 0) continue;
      byRegion[REGION_NAMES[r]] = span > 0 ? this.upIntegralByRegion[r] / (span * this.nodesByRegion[r]) : this.upByRegion[r] / this.nodesByRegion[r];
    }
    const overall = span > 0 ? this.upIntegral / (span * this.nodes.length) : this.upCount / this.nodes.length;
    return { overall, byRegion };
  }

  /** Headline numbers for summary.json under "world". */
  summary(): Record<string, unknown> {
    const count = (key: (n: WorldNode) => string) => {
      const m: Record<string, number> = {};
      for (const n of this.nodes) m[key(n)] = (m[key(n)] ?? 0) + 1;
      return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    };
    const a = this.availability();
    const s = this.network.stats;
    return {
      nodes: this.nodes.length,
      availability: a.overall,
      availabilityByRegion: a.byRegion,
      availableAtEnd: this.upCount,
      churnTransitions: this.churn.transitions,
      nodesByRegion: count((n) => n.region),
      nodesByHardware: count((n) => n.hardware.name),
      nodesByLink: count((n) => n.link.name),
      network: { sent: s.sent, delivered: s.delivered, lost: s.lost, partitioned: s.partition, down: s.down, corrupted: s.corrupted, bytesSent: s.bytesSent, peakFlows: s.peakFlows },
    };
  }
}
