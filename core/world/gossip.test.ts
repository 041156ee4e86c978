// The gossip workload: heartbeat delays by region pair, loss accounting, rumor coverage.
import { describe, expect, test } from "bun:test";
import { Environment, HOUR, MINUTE, RngStreams, SECOND } from "../des/index.ts";
import { createRunContext } from "../run/context.ts";
import { Metrics } from "../run/metrics.ts";
import { Trace } from "../run/trace.ts";
import { gossipWorkload, type GossipParams } from "./gossip.ts";
import type { WorldSpec } from "./spec.ts";
import { World } from "./world.ts";

function run(spec: Partial<WorldSpec>, params: Partial<GossipParams>, until = HOUR) {
  const env = new Environment();
  const streams = new RngStreams(4);
  const world = new World(env, streams, {
    groups: [{ count: 60, hardware: { h100: 1 }, regions: { "us-east": 0.5, "eu-west": 0.5 }, link: { datacenter: 1 } }],
    network: { loss: 0, jitter: 0, partitions: [] },
    churn: null,
    computeJitter: 0,
    ...spec,
  });
  const trace = new Trace(env);
  const ctx = createRunContext({ env, streams, world, trace, metrics: new Metrics(env), backend: "repops" });
  const w = gossipWorkload.start(ctx, {
    heartbeat: { interval: MINUTE, fanout: 2, bytes: 256 },
    rumor: { interval: 10 * MINUTE, fanout: 4, bytes: 1024, ttl: MINUTE },
    sampleEvery: 10 * MINUTE,
    traceMessages: false,
    ...params,
  }) as { summary(): any };
  env.run(until);
  return w.summary();
}

describe("gossip", () => {
  test("without loss or churn every heartbeat arrives, with the matrix latency per region pair", () => {
    const s = run({}, {});
    expect(s.heartbeats.sent).toBe(60 * 60 * 2);
    expect(s.heartbeats.deliveryRate).toBe(1);
    // datacenter: 0.1 ms last mile at each end; us-east<->eu-west 34 ms one way; 256 B take ~0 us
    expect(s.delayMs.byRegionPair["us-east->eu-west"].p50).toBeCloseTo(34.2, 0);
    expect(s.delayMs.byRegionPair["us-east->us-east"].p50).toBeCloseTo(1.2, 0);
    expect(s.delayMs.byRegionPair["eu-west->us-east"].count).toBeGreaterThan(0);
  });
  test("loss shows up as lost heartbeats at about the configured rate", () => {
    const s = run({ network: { loss: 0.1, jitter: 0, partitions: [] } }, {});
    const rate = s.heartbeats.lost / s.heartbeats.sent;
    expect(rate).toBeGreaterThan(0.08);
    expect(rate).toBeLessThan(0.12);
  });
  test("push gossip misses about e^-fanout of the nodes; a large fanout reaches all", () => {
    const four = run({}, { heartbeat: { interval: HOUR, fanout: 1, bytes: 1 } });
    expect(four.rumors.meanCoverage).toBeGreaterThan(0.95);
    expect(four.rumors.meanCoverage).toBeLessThan(1);
    const s = run({}, { heartbeat: { interval: HOUR, fanout: 1, bytes: 1 }, rumor: { interval: 10 * MINUTE, fanout: 12, bytes: 1024, ttl: MINUTE } });
    expect(s.rumors.count).toBeGreaterThanOrEqual(5);
    expect(s.rumors.meanCoverage).toBe(1);
    expect(s.rumors.meanReachTime90Ms).toBeGreaterThan(0);
  });
  test("same seed, same summary", () => {
    const spec = { churn: { fraction: 1, up: { dist: "exponential", mean: HOUR }, down: { dist: "exponential", mean: 10 * MINUTE } } } as const;
    expect(run(spec, { heartbeat: { interval: 30 * SECOND, fanout: 1, bytes: 64 } })).toEqual(run(spec, { heartbeat: { interval: 30 * SECOND, fanout: 1, bytes: 64 } }));
  });
});
