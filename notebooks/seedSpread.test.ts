// The seed-spread driver: a small gossip scenario over 2 seeds through the real sweep machinery,
// and the report it writes checked against the seeds' own summaries.
import { afterAll, describe, expect, test } from "bun:test";
import * as aq from "arquero";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { band } from "../sim/report/percentiles.ts";
import { tempDir } from "../sim/sweep/sweepTestKit.ts";
import { runSpread, sig, Spread, type SpreadQuestion } from "./seedSpread.ts";

const work = tempDir("spread");
afterAll(() => rmSync(work, { recursive: true, force: true }));

const file = join(work, "mini-gossip.yaml");
writeFileSync(file, `name: mini-gossip
seed: 1
duration: 2h
nodes:
  - count: 30
    hardware: {h100: 0.5, rtx3060: 0.5}
    regions: {us-east: 0.5, eu-west: 0.5}
    link: {datacenter: 0.5, cable: 0.5}
churn:
  fraction: 0.5
  up: {dist: exponential, mean: 30m}
  down: {dist: exponential, mean: 10m}
workload:
  kind: gossip
  heartbeat: {interval: 1m, fanout: 1, bytes: 256}
  rumor: {interval: 20m, fanout: 3, bytes: 2048, ttl: 2m}
  sampleEvery: 30m
`);

const question: SpreadQuestion = {
  slug: "mini-gossip",
  question: "How available is a small churning network?",
  sweeps: [{ scenario: file, sets: ["duration=90m"], metrics: { availability: "world.availability", "delivery - availability": "workload.heartbeats.deliveryRate - world.availability" } }],
  answer: (s) => `Availability ${s.quote("availability")}, above 0.5 on ${s.seedsWhere("availability", (v) => v > 0.5)}.`,
};

describe("runSpread over 2 seeds of a small gossip scenario", () => {
  test("writes the bands of the seeds' own summary values, and an answer quoting them", async () => {
    const out = join(work, "report");
    const runs = join(work, "runs");
    const r = await runSpread(question, { seeds: 2, out, runs, command: "bun notebooks/miniGossip.ts --seeds 2" });
    // The seeds' summaries, read straight from the sweep the driver ran (with the --set applied).
    const index = JSON.parse(readFileSync(join(runs, "mini-gossip-duration-90m-s1-2", "index.json"), "utf8"));
    expect(index.points.map((p: any) => p.seed)).toEqual([1, 2]);
    expect(index.points.every((p: any) => p.summary.simulatedUs === 90 * 60e6)).toBe(true);
    const avail: number[] = index.points.map((p: any) => p.summary.world.availability);
    const gap: number[] = index.points.map((p: any) => p.summary.workload.heartbeats.deliveryRate - p.summary.world.availability);
    expect(avail[0]).not.toBe(avail[1]); // the seeds differ, so the band has width

    const spread = aq.fromArrow(readFileSync(join(out, "spread.arrow"))).objects() as any[];
    expect(spread.map((b) => b.metric)).toEqual(["availability", "delivery - availability"]);
    const want = band(avail);
    expect(spread[0]).toMatchObject({ p05: want.p05, p50: want.p50, p95: want.p95, min: Math.min(...avail), max: Math.max(...avail), n: 2, expression: "world.availability" });
    expect(spread[1].p50).toBeCloseTo(band(gap).p50, 12);
    const seeds = aq.fromArrow(readFileSync(join(out, "seeds.arrow"))).objects() as any[];
    expect(seeds.filter((s) => s.metric === "availability").map((s) => s.value)).toEqual(avail);

    const answer = readFileSync(join(out, "answer.md"), "utf8");
    expect(answer).toBe(r.answer);
    expect(answer).toStartWith("# How available is a small churning network?\n\n");
    expect(answer).toContain(`Availability ${sig(want.p50)} (P05-P95 ${sig(want.p05)} to ${sig(want.p95)}), above 0.5 on ${avail.filter((v) => v > 0.5).length}/2 seeds.`);
    expect(answer).toContain("with `--set duration=90m` (2 runs each)");
    expect(answer).toContain("Reproduce: `bun notebooks/miniGossip.ts --seeds 2`");
    expect(answer).toContain(`| availability | ${sig(want.p50, 4)} | ${sig(want.p05, 4)} - ${sig(want.p95, 4)} |`);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain("<svg");
    expect(existsSync(join(out, "charts", "seeds.png"))).toBe(true);

    // A second call resumes the finished sweep (nothing re-run) and writes the same answer.
    const again = await runSpread(question, { seeds: 2, out, runs, command: "bun notebooks/miniGossip.ts --seeds 2" });
    expect(again.answer).toBe(r.answer);
  }, 60_000);

  test("a metric whose path no seed has is refused, naming the path", async () => {
    const bad: SpreadQuestion = { ...question, sweeps: [{ ...question.sweeps[0], metrics: { x: "world.availabilty" } }] };
    await expect(runSpread(bad, { seeds: 2, out: join(work, "bad"), runs: join(work, "runs") })).rejects.toThrow("world.availabilty");
  }, 60_000);
});

describe("Spread quotes", () => {
  const s = new Spread(new Map([
    ["ratio", [1, 0.98, 1.02, 1.04, 0.99].map((value, i) => ({ seed: i + 1, value }))],
    ["reached", [{ seed: 1, value: 10 }, { seed: 2, value: null }, { seed: 3, value: 30 }]],
  ]));

  test("a ratio reads as a signed change with its P05-P95 (interpolated between seeds)", () => {
    expect(s.change("ratio")).toBe("+0.0% (P05-P95 -1.8% to +3.6%)");
  });
  test("seeds without a value count against a condition but not in the band", () => {
    expect(s.band("reached")).toMatchObject({ p50: 20, n: 2 });
    expect(s.seedsWhere("reached", () => true)).toBe("2/3 seeds");
    expect(s.quote("reached", " s")).toBe("20 s (P05-P95 11 s to 29 s)");
  });
  test("an unknown metric name is an error listing the declared ones", () => {
    expect(() => s.band("ratios")).toThrow('no metric named "ratios"; declared: ratio, reached');
  });
});
