// The skippipe workload on a real world: the four schemes' iteration times are ordered as in
// the reference scheduler's simulation, a run is deterministic, node losses mid-iteration are
// lost or re-routed and re-planned, and bad input names the scenario path.
import { describe, expect, test } from "bun:test";
import { trainTestContext } from "../trainTestWorld.ts";
import { skippipeSchema } from "./params.ts";
import { startSkippipe } from "./workload.ts";

const REGIONS = { "us-east": 0.1, "us-west": 0.1, "eu-west": 0.1, "eu-central": 0.1, "ap-northeast": 0.1, "ap-southeast": 0.1, "ap-south": 0.1, "sa-east": 0.1, "af-south": 0.1, "oc-east": 0.1 };

function run20(seed: number, extra: Record<string, unknown> = {}) {
  const t = trainTestContext(seed, { groups: [{ count: 20, hardware: { cpu: 1 }, regions: REGIONS, link: { cloud: 0.5, fiber: 0.5 } }] });
  const p = skippipeSchema.parse({ stages: [5, 3, 3, 3, 3, 3], pathLength: 4, iterations: 1, allocation: { trials: 200 }, ...extra });
  const r = startSkippipe({ ...t.ctx, world: t.world }, p);
  t.ctx.env.run(r.done);
  return { s: r.summary() as Record<string, any>, lines: t.lines };
}

describe("skippipe workload, 20 nodes [5,3,3,3,3,3], 4-of-6 paths", () => {
  test("seed 1: DT-FM > DT-FM-skip > both SkipPipes; no microbatch lost", () => {
    const { s } = run20(1);
    const t = (k: string) => s[k].iterationSeconds as number;
    expect(t("dtfm")).toBeGreaterThan(t("dtfmSkip"));
    expect(t("dtfmSkip")).toBeGreaterThan(t("skippipe"));
    expect(t("dtfmSkip")).toBeGreaterThan(t("skippipeCa"));
    // Collision-aware vs blind SkipPipe is close on this world (jittered compute): within 10%.
    expect(Math.abs(t("skippipeCa") / t("skippipe") - 1)).toBeLessThan(0.1);
    for (const k of ["dtfm", "dtfmSkip", "skippipe", "skippipeCa"]) {
      expect(s[k].microbatchesCompleted).toBe(30);
      expect(s[k].microbatchesLost).toBe(0);
      expect(s[k].syncSeconds).toBeGreaterThan(0);
    }
  }, 30_000);
  test("same seed, same events", () => {
    expect(run20(2, { schemes: ["skippipeCa"] }).lines).toEqual(run20(2, { schemes: ["skippipeCa"] }).lines);
  }, 30_000);
});

describe("bad input", () => {
  test("a path longer than the stages, layers that do not split, agents that do not divide", () => {
    const r = skippipeSchema.safeParse({ stages: [2, 2, 2], pathLength: 4, virtual: { layers: 10 }, microbatchesPerNode: 5 });
    expect(r.success).toBe(false);
    const msgs = r.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(msgs).toContain("pathLength: at most the 3 stages");
    expect(msgs).toContain("virtual.layers: a layer count divisible by the 3 stages");
    expect(msgs).toContain("microbatchesPerNode: a multiple of the group size 2");
  });
  test("stage sizes that do not match the world, fewer nodes than stages, a node too small for its stage", () => {
    const t = trainTestContext(1);
    expect(() => startSkippipe({ ...t.ctx, world: t.world }, skippipeSchema.parse({ stages: [2, 2, 3], pathLength: 3 }))).toThrow("workload.stages: sizes [2, 2, 3] sum to 7, but the world has 6 nodes");
    expect(() => startSkippipe({ ...t.ctx, world: t.world }, skippipeSchema.parse({ stages: [1, 1, 1, 1, 1, 1, 1, 1], virtual: { layers: 8 }, pathLength: 3 }))).toThrow("workload.stages: 8 stages need at least 8 nodes, the world has 6");
    const small = trainTestContext(1, { groups: [{ count: 6, hardware: { rtx3060: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } }] });
    expect(() => startSkippipe({ ...small.ctx, world: small.world }, skippipeSchema.parse({ stages: [2, 2, 2], pathLength: 3, virtual: { layers: 24, width: 8192 } }))).toThrow(/^workload\.virtual: node 0 \(rtx3060, 12 GiB\) cannot hold a stage of 8 layers of width 8192/);
  });
});

describe("failures", () => {
  test("seed 3: nodes dropping mid-iteration lose or re-route their microbatches, the next iteration re-plans, and a node that comes back rejoins", () => {
    const t = trainTestContext(3, { groups: [{ count: 20, hardware: { cpu: 1 }, regions: REGIONS, link: { cloud: 0.5, fiber: 0.5 } }] });
    const p = skippipeSchema.parse({ stages: [5, 3, 3, 3, 3, 3], pathLength: 4, iterations: 3, schemes: ["skippipeCa"], allocation: { trials: 100 } });
    const r = startSkippipe({ ...t.ctx, world: t.world }, p);
    const stage1 = r.allocation.stages[1];
    const stage2 = r.allocation.stages[2];
    const env = t.ctx.env;
    // 20 s into the first iteration a stage-1 and a stage-2 node fail; the stage-2 one returns during the second.
    env.run(20_000_000);
    t.world.setAvailable(stage1[0], false, "test");
    t.world.setAvailable(stage2[0], false, "test");
    env.run(100_000_000);
    t.world.setAvailable(stage2[0], true, "test");
    env.run(r.done);
    const s = r.summary().skippipeCa as Record<string, number>;
    expect(s.iterations).toBe(3);
    expect(s.microbatchesLost + s.rerouted).toBeGreaterThan(0);
    expect(s.replans).toBe(2);
    expect(s.joins).toBe(1);
    expect(s.microbatchesCompleted + s.microbatchesLost).toBe(s.microbatchesRun);
    // Iteration 1: 30 microbatches, 10 lost and 2 re-routed. With a stage down to 2 nodes, memory
    // caps its visits at 6, so the re-plans run 2 agents per stage-0 node (20 microbatches).
    expect([s.microbatchesRun, s.microbatchesCompleted, s.microbatchesLost, s.rerouted]).toEqual([70, 60, 10, 2]);
  }, 30_000);
});
