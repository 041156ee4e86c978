// World: node assignment from mixes, compute time, memory, churn and availability.
import { describe, expect, test } from "bun:test";
import { DAY, Environment, HOUR, MINUTE, RngStreams } from "../des/index.ts";
import { HARDWARE } from "./hardware.ts";
import type { WorldSpec } from "./spec.ts";
import { World } from "./world.ts";

const churnSpec = { fraction: 1, up: { dist: "exponential", mean: 3 * HOUR }, down: { dist: "exponential", mean: 1 * HOUR } } as const;

function spec(over: Partial<WorldSpec> = {}): WorldSpec {
  return {
    groups: [{ count: 200, hardware: { h100: 0.1, rtx3060: 0.9 }, regions: { "us-east": 0.5, "eu-west": 0.5 }, link: { datacenter: 0.2, cable: 0.8 } }],
    network: { loss: 0, jitter: 0, partitions: [] },
    churn: null,
    computeJitter: 0,
    ...over,
  };
}

function trajectory(seed: number, s: WorldSpec, until: number): string[] {
  const env = new Environment();
  const w = new World(env, new RngStreams(seed), s);
  const log: string[] = [];
  w.onChange((n, up) => log.push(`${env.now}:${n.id}:${up ? "up" : "down"}`));
  env.run(until);
  return log;
}

describe("building nodes from mixes", () => {
  test("mix shares become exact counts", () => {
    const w = new World(new Environment(), new RngStreams(1), spec());
    expect(w.summary().nodesByHardware).toEqual({ h100: 20, rtx3060: 180 });
    expect(w.summary().nodesByRegion).toEqual({ "eu-west": 100, "us-east": 100 });
    expect(w.summary().nodesByLink).toEqual({ cable: 160, datacenter: 40 });
  });
  test("the same seed places the same hardware on the same node ids", () => {
    const a = new World(new Environment(), new RngStreams(3), spec()).nodes.map((n) => n.hardware.name + n.region);
    const b = new World(new Environment(), new RngStreams(3), spec()).nodes.map((n) => n.hardware.name + n.region);
    const c = new World(new Environment(), new RngStreams(4), spec()).nodes.map((n) => n.hardware.name + n.region);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe("compute and memory", () => {
  test("compute time is FLOPs over peak x efficiency", () => {
    const w = new World(new Environment(), new RngStreams(1), spec({ groups: [{ count: 1, hardware: { h100: 1 }, regions: { "us-east": 1 }, link: { cable: 1 } }] }));
    const h = HARDWARE.h100;
    // 1e15 FLOPs on 989 TFLOP/s at 45%: 2.2469 s
    expect(w.computeTimeUs(0, 1e15)).toBe(Math.ceil((1e15 / (h.peakFlops * h.efficiency)) * 1e6));
    expect(w.computeTimeUs(0, 1e15)).toBe(2_246_939);
  });
  test("memory-bound work takes bytes over memory bandwidth (roofline)", () => {
    const w = new World(new Environment(), new RngStreams(1), spec({ groups: [{ count: 1, hardware: { rtx3060: 1 }, regions: { "us-east": 1 }, link: { cable: 1 } }] }));
    // 36 GB over 360 GB/s = 0.1 s; 1 GFLOP alone would take ~0.11 ms
    expect(w.computeTimeUs(0, 1e9, 36e9)).toBe(100_000);
    expect(w.computeTimeUs(0, 1e9, 0)).toBe(Math.ceil((1e9 / (25.5e12 * 0.35)) * 1e6));
  });
  test("slow nodes take factor times longer; jitter is seeded", () => {
    const s = spec({ groups: [{ count: 2, hardware: { rtx3060: 1 }, regions: { "us-east": 1 }, link: { cable: 1 }, slow: { fraction: 1, factor: 3 } }], computeJitter: 0.1 });
    const w1 = new World(new Environment(), new RngStreams(9), s);
    const w2 = new World(new Environment(), new RngStreams(9), s);
    const t1 = [w1.computeTimeUs(0, 1e12), w1.computeTimeUs(0, 1e12), w1.computeTimeUs(1, 1e12)];
    expect([w2.computeTimeUs(0, 1e12), w2.computeTimeUs(0, 1e12), w2.computeTimeUs(1, 1e12)]).toEqual(t1);
    const exact = (1e12 / (25.5e12 * 0.35)) * 1e6 * 3;
    for (const t of t1) expect(Math.abs(t / exact - 1)).toBeLessThan(0.5);
    expect(t1[0]).not.toBe(t1[1]);
  });
  test("a 40 GB model fits an H100 but not an RTX 3060", () => {
    const w = new World(new Environment(), new RngStreams(1), spec());
    const h100 = w.nodes.find((n) => n.hardware.name === "h100")!.id;
    const r3060 = w.nodes.find((n) => n.hardware.name === "rtx3060")!.id;
    expect(w.fitsInMemory(h100, 40e9)).toBe(true);
    expect(w.fitsInMemory(r3060, 40e9)).toBe(false);
  });
});

describe("churn", () => {
  test("same seed gives the same up/down trajectory; another seed differs", () => {
    const s = spec({ churn: churnSpec });
    const a = trajectory(11, s, DAY);
    expect(a.length).toBeGreaterThan(100);
    expect(trajectory(11, s, DAY)).toEqual(a);
    expect(trajectory(12, s, DAY)).not.toEqual(a);
  });
  test("availability approaches E[up] / (E[up] + E[down]) = 0.75", () => {
    const env = new Environment();
    const w = new World(env, new RngStreams(5), spec({ churn: churnSpec, groups: [{ count: 1000, hardware: { cpu: 1 }, regions: { "us-east": 1 }, link: { fiber: 1 } }] }));
    env.run(2 * DAY);
    const a = w.availability().overall;
    expect(a).toBeGreaterThan(0.72);
    expect(a).toBeLessThan(0.78);
  });
  test("a node's churn does not depend on how many other nodes there are", () => {
    const small = spec({ churn: churnSpec, groups: [{ count: 10, hardware: { cpu: 1 }, regions: { "us-east": 1 }, link: { fiber: 1 } }] });
    const large = spec({ churn: churnSpec, groups: [{ count: 50, hardware: { cpu: 1 }, regions: { "us-east": 1 }, link: { fiber: 1 } }] });
    const node6 = (log: string[]) => log.filter((l) => l.split(":")[1] === "6");
    expect(node6(trajectory(2, large, DAY))).toEqual(node6(trajectory(2, small, DAY)));
  });
  test("a crashed node leaves churn and stays down", () => {
    const env = new Environment();
    const w = new World(env, new RngStreams(2), spec({ churn: churnSpec }));
    env.run(HOUR);
    const id = w.nodes.find((n) => n.available)!.id;
    w.crash(id);
    const seen: boolean[] = [];
    w.onChange((n, up) => n.id === id && seen.push(up));
    env.run(3 * DAY);
    expect(w.isAvailable(id)).toBe(false);
    expect(seen).toEqual([]);
  });
  test("a group with churn: null never churns", () => {
    const s = spec({ churn: churnSpec });
    s.groups = [{ ...s.groups[0], churn: null }];
    expect(trajectory(1, s, 6 * HOUR)).toEqual([]);
  });
  test("a lognormal/weibull churn runs and changes state", () => {
    const s = spec({ churn: { fraction: 0.5, up: { dist: "weibull", scale: 2 * HOUR, shape: 0.7 }, down: { dist: "lognormal", median: 10 * MINUTE, sigma: 1 } } });
    expect(trajectory(1, s, DAY).length).toBeGreaterThan(50);
  });
});
