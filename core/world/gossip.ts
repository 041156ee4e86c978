// The `gossip` workload: every node sends heartbeats to random peers at a fixed interval, and
// rumors spread by push gossip from a random origin. It measures what a protocol on this world
// would see: message delay percentiles by region pair, loss, and how fast news reaches nodes.
import type { SimEvent } from "../des/index.ts";
import { Timeout } from "../des/index.ts";
import type { RunContext } from "../run/context.ts";
import { Histogram } from "../run/histogram.ts";
import type { Workload, WorkloadRun } from "../run/workload.ts";
import { CounterStream } from "./counterStream.ts";
import { NodeCalendar } from "./nodeCalendar.ts";
import type { Delivery } from "./network.ts";
import { REGION_NAMES } from "./regions.ts";

export interface GossipParams {
  heartbeat: { interval: number; fanout: number; bytes: number };
  /** null: no rumors. */
  rumor: { interval: number; fanout: number; bytes: number; ttl: number } | null;
  /** Interval of the time-series samples written to metrics.csv. */
  sampleEvery: number;
  /** Also trace every heartbeat delivery (large). */
  traceMessages: boolean;
}

interface Rumor {
  id: number;
  origin: number;
  start: number;
  seen: Uint8Array;
  reached: number;
  /** Nodes available when it started: the audience. */
  audience: number;
  reachTimes: number[];
}

const ms = (us: number) => (Number.isNaN(us) ? null : Math.round(us) / 1000);

function quantiles(h: Histogram) {
  return { count: h.count, p50: ms(h.quantile(0.5)), p90: ms(h.quantile(0.9)), p99: ms(h.quantile(0.99)), max: ms(h.count ? h.max : NaN) };
}

export const gossipWorkload: Workload<GossipParams> = {
  kind: "gossip",
  start(ctx: RunContext, p: GossipParams): WorkloadRun {
    const { env, world, streams, trace, metrics } = ctx;
    const N = world.size;
    const R = REGION_NAMES.length;
    // Peer choices per node (counter-based: 4 bytes a node, see counterStream.ts).
    const draws = new CounterStream(streams, N, "workload", "gossip", "peers");
    const delays = new Map<number, Histogram>(); // key: fromRegion * R + toRegion
    const overall = new Histogram();
    const hb = { sent: 0, delivered: 0, lost: 0, partition: 0, down: 0, malformed: 0 };
    let window = { delivered: 0, failed: 0 };

    const pickPeer = (self: number) => {
      const k = draws.int(self, N - 1);
      return k >= self ? k + 1 : k;
    };

    const onHeartbeat = (ev: SimEvent<any>) => {
      const d = ev.value as Delivery;
      if (p.traceMessages) trace.emit("heartbeat", { from: d.from, to: d.to, sentAt: d.sentAt, delivered: d.delivered, reason: d.reason ?? null });
      if (!d.delivered || d.corrupted) {
        if (d.corrupted) hb.malformed++;
        else hb[d.reason!]++;
        window.failed++;
        return;
      }
      hb.delivered++;
      window.delivered++;
      const delay = d.arrivedAt - d.sentAt;
      const key = world.nodes[d.from].regionIndex * R + world.nodes[d.to].regionIndex;
      let h = delays.get(key);
      if (h === undefined) delays.set(key, (h = new Histogram()));
      h.add(delay);
      overall.add(delay);
    };

    // Each node beats every interval from a random phase; the beats wait in a NodeCalendar.
    const beats: NodeCalendar = new NodeCalendar(env, N, (id) => {
      if (world.nodes[id].available && N > 1) {
        for (let k = 0; k < p.heartbeat.fanout; k++) {
          hb.sent++;
          world.network.send(id, pickPeer(id), p.heartbeat.bytes).addCallback(onHeartbeat);
        }
      }
      beats.schedule(id, env.now + p.heartbeat.interval);
    });
    for (let id = 0; id < N; id++) beats.schedule(id, env.now + draws.int(id, p.heartbeat.interval));

    // Rumors: push gossip; each node forwards a rumor once, on first receipt.
    const rumors: { coverage: number; reachTime50: number | null; reachTime90: number | null }[] = [];
    if (p.rumor !== null && N > 1) {
      const rp = p.rumor;
      const rumorRng = streams.stream("workload", "gossip", "rumor");
      let nextId = 0;
      const receive = (rumor: Rumor, id: number) => {
        if (rumor.seen[id]) return;
        rumor.seen[id] = 1;
        rumor.reached++;
        rumor.reachTimes.push(env.now - rumor.start);
        for (let k = 0; k < rp.fanout; k++) {
          world.network.send(id, pickPeer(id), rp.bytes).addCallback((ev) => {
            const d = ev.value as Delivery;
            if (d.delivered && !d.corrupted && env.now - rumor.start <= rp.ttl) receive(rumor, d.to);
          });
        }
      };
      const startRumor = () => {
        const origin = rumorRng.int(N);
        if (world.nodes[origin].available) {
          const rumor: Rumor = { id: nextId++, origin, start: env.now, seen: new Uint8Array(N), reached: 0, audience: world.availableCount, reachTimes: [] };
          trace.emit("rumor.start", { rumor: rumor.id, origin, audience: rumor.audience });
          receive(rumor, origin);
          new Timeout(env, rp.ttl).addCallback(() => {
            const at = (q: number) => {
              const need = Math.ceil(q * rumor.audience);
              return rumor.reachTimes.length >= need ? ms(rumor.reachTimes[need - 1]) : null;
            };
            const coverage = Math.min(1, rumor.reached / rumor.audience);
            const row = { coverage, reachTime50: at(0.5), reachTime90: at(0.9) };
            rumors.push(row);
            trace.emit("rumor.done", { rumor: rumor.id, reached: rumor.reached, ...row });
            metrics.record("rumor.coverage", coverage);
          });
        }
        new Timeout(env, rp.interval).addCallback(startRumor);
      };
      new Timeout(env, rumorRng.int(rp.interval)).addCallback(startRumor);
    }

    // Time series: availability and heartbeat outcomes per sampling window.
    const sample = () => {
      metrics.record("nodes.available", world.availableCount);
      metrics.record("heartbeat.delivered", window.delivered);
      metrics.record("heartbeat.failed", window.failed);
      window = { delivered: 0, failed: 0 };
      new Timeout(env, p.sampleEvery).addCallback(sample);
    };
    new Timeout(env, p.sampleEvery).addCallback(sample);

    return {
      summary() {
        const byRegionPair: Record<string, ReturnType<typeof quantiles>> = {};
        for (const key of [...delays.keys()].sort((a, b) => a - b)) {
          byRegionPair[`${REGION_NAMES[Math.floor(key / R)]}->${REGION_NAMES[key % R]}`] = quantiles(delays.get(key)!);
        }
        const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
        const finished = rumors.filter((r) => r.reachTime90 !== null).map((r) => r.reachTime90!);
        const failed = hb.lost + hb.partition + hb.down + hb.malformed;
        return {
          heartbeats: { ...hb, deliveryRate: hb.sent === 0 ? null : hb.delivered / (hb.delivered + failed) },
          delayMs: { overall: { ...quantiles(overall), mean: ms(overall.mean) }, byRegionPair },
          rumors: {
            count: rumors.length,
            meanCoverage: mean(rumors.map((r) => r.coverage)),
            reached90: finished.length,
            meanReachTime90Ms: mean(finished),
          },
        };
      },
    };
  },
};
