// SkipPipe's scheduler on random instances: every constraint of REFERENCE §6 holds on every
// planned schedule, infeasible instances say why, and the checker itself catches each breach.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { allocateStages, evaluate } from "./allocation.ts";
import type { Costs } from "./costModel.ts";
import { type PathProblem, agentCount, balanceCap, firstCollision, scheduleViolations, validStageSequence } from "./pathProblem.ts";
import { SCHEDULER_DEFAULTS, schedulePaths } from "./pathScheduler.ts";
import { bottleneckMatching } from "./stageTour.ts";

function randomCosts(seed: number, n: number): Costs {
  const r = new RngStreams(seed).stream("costs");
  const region = Array.from({ length: n }, () => r.int(6));
  const forward = Float64Array.from({ length: n }, () => 0.5 + 2 * r.random());
  const link = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) link[i * n + j] = 0.35 + (region[i] === region[j] ? 0.02 : 0.1 + 3 * r.random());
  return { n, forward, link };
}

function instance(seed: number): { p: PathProblem; sizes: number[] } {
  const r = new RngStreams(seed).stream("shape");
  const S = 3 + r.int(4); // 3..6 stages
  const sizes = Array.from({ length: S }, () => 1 + r.int(3));
  const n = sizes.reduce((a, b) => a + b, 0);
  const costs = randomCosts(seed, n);
  const alloc = allocateStages(costs, { sizes, population: 12, trials: 40, localSearch: 2, points: 3 }, new RngStreams(seed).stream("ga"));
  const p: PathProblem = { costs, stages: alloc.stages, pathLength: 2 + r.int(S - 1), maxSwaps: r.int(3), memory: 1 + r.int(3), agentsPerOrigin: 1 + r.int(2), group: 1 + r.int(2), balanceSlack: r.int(2) };
  return { p, sizes };
}

function checkSeed(seed: number): { feasible: boolean; collisionAware: string[]; blind: string[] } {
  const { p } = instance(seed);
  const ca = schedulePaths(p, { collisionAware: true, ...SCHEDULER_DEFAULTS, maxExpansions: 60 }, new RngStreams(seed).stream("paths"));
  const blind = schedulePaths(p, { collisionAware: false, ...SCHEDULER_DEFAULTS }, new RngStreams(seed).stream("paths"));
  expect(ca.feasible).toBe(blind.feasible);
  if (!ca.feasible || !blind.feasible) {
    expect(ca.feasible ? "" : ca.reason).toMatch(/path length|memory|balance|exceed/);
    return { feasible: false, collisionAware: [], blind: [] };
  }
  expect(ca.plans.length).toBe(agentCount(p));
  return { feasible: true, collisionAware: scheduleViolations(p, ca.plans, true), blind: scheduleViolations(p, blind.plans, false) };
}

describe("path scheduler on random instances", () => {
  test("200 seeds: every feasible schedule keeps every constraint; collision-aware ones never overlap on a node", () => {
    let feasible = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const r = checkSeed(seed);
      if (r.feasible) feasible++;
      expect({ seed, v: r.collisionAware }).toEqual({ seed, v: [] });
      expect({ seed, v: r.blind }).toEqual({ seed, v: [] });
    }
    // The generator makes both kinds of instance.
    expect(feasible).toBeGreaterThan(60);
    expect(feasible).toBeLessThan(200);
  }, 60_000);

  test("fixed seed 7: the 20-node [5,3,3,3,3,3] instance, 4-of-6 paths, 15 agents of 2", () => {
    const costs = randomCosts(7, 20);
    const alloc = allocateStages(costs, { sizes: [5, 3, 3, 3, 3, 3], population: 20, trials: 200, localSearch: 4, points: 5 }, new RngStreams(7).stream("ga"));
    const p: PathProblem = { costs, stages: alloc.stages, pathLength: 4, maxSwaps: 2, memory: 3, agentsPerOrigin: 3, group: 2, balanceSlack: 0 };
    expect(balanceCap(p)).toBe(9);
    const s = schedulePaths(p, { collisionAware: true, ...SCHEDULER_DEFAULTS }, new RngStreams(7).stream("paths"));
    if (!s.feasible) throw new Error(s.reason);
    expect(scheduleViolations(p, s.plans, true)).toEqual([]);
    expect(firstCollision(s.plans)).toBeNull();
    expect(s.plans.every((a) => a.route.length === 3)).toBe(true);
    // Balance is tight here: 45 visits over 5 stages of cap 9, so every stage gets exactly 9.
    const perStage = [0, 0, 0, 0, 0, 0];
    for (const a of s.plans) for (const st of a.stages) perStage[st]++;
    expect(perStage).toEqual([0, 9, 9, 9, 9, 9]);
  });
});

describe("the checker catches each broken constraint", () => {
  const costs = randomCosts(3, 8);
  const p: PathProblem = { costs, stages: [[0, 1], [2, 3], [4, 5], [6, 7]], pathLength: 3, maxSwaps: 1, memory: 2, agentsPerOrigin: 1, group: 1, balanceSlack: 0 };
  const s = schedulePaths(p, { collisionAware: true, ...SCHEDULER_DEFAULTS }, new RngStreams(3).stream("paths"));
  if (!s.feasible) throw new Error(s.reason);
  test("a valid schedule has no violations", () => expect(scheduleViolations(p, s.plans, true)).toEqual([]));
  test("a revisit, a wrong length, a stage-0 visit, memory and overlap are each reported", () => {
    const a = s.plans[0];
    const revisit = [{ ...a, stages: [a.stages[0], a.stages[0]], route: [a.route[0], a.route[0]] }, s.plans[1]];
    expect(scheduleViolations(p, revisit, false).join(";")).toMatch(/revisits/);
    const short = [{ ...a, route: a.route.slice(0, 1), stages: a.stages.slice(0, 1) }, s.plans[1]];
    expect(scheduleViolations(p, short, false).join(";")).toMatch(/path length is 3/);
    const zero = [{ ...a, route: [1, a.route[1]], stages: [0, a.stages[1]] }, s.plans[1]];
    expect(scheduleViolations(p, zero, false).join(";")).toMatch(/stage 0 in the middle/);
    const tight = { ...p, memory: 1, agentsPerOrigin: 1 };
    const same = [a, { ...s.plans[1], route: a.route, stages: a.stages, windows: s.plans[1].windows }];
    expect(scheduleViolations(tight, same, false).join(";")).toMatch(/exceed memory 1/);
    const overlap = [a, { ...s.plans[1], windows: s.plans[1].windows.map((w, i) => (i === 1 ? { ...w, node: a.windows[1].node, start: a.windows[1].start, end: a.windows[1].end } : w)) }];
    expect(scheduleViolations(p, overlap, true).join(";")).toMatch(/overlap/);
  });
  test("stage orders: ascending with bounded adjacent swaps", () => {
    expect(validStageSequence([1, 2, 3], 0)).toBe(true);
    expect(validStageSequence([2, 1, 3], 1)).toBe(true);
    expect(validStageSequence([2, 1, 3], 0)).toBe(false);
    expect(validStageSequence([2, 1, 4, 3], 1)).toBe(false);
    expect(validStageSequence([2, 1, 4, 3], 2)).toBe(true);
    expect(validStageSequence([3, 1, 2], 2)).toBe(false); // a rotation, not adjacent swaps
    expect(validStageSequence([1, 3, 2], 1)).toBe(true);
    expect(validStageSequence([3, 2, 1], 2)).toBe(false);
  });
  test("infeasible: more agents per origin than memory, and a path longer than the stages", () => {
    const a = schedulePaths({ ...p, agentsPerOrigin: 3 }, { collisionAware: true, ...SCHEDULER_DEFAULTS }, new RngStreams(1).stream("x"));
    expect(a.feasible ? "" : a.reason).toBe("3 agents per stage-0 node exceed its memory of 2");
    const b = schedulePaths({ ...p, pathLength: 5 }, { collisionAware: true, ...SCHEDULER_DEFAULTS }, new RngStreams(1).stream("x"));
    expect(b.feasible ? "" : b.reason).toBe("path length 5 must be between 1 and the 4 stages");
  });
});

describe("allocation", () => {
  test("seed 11: the GA beats its first generation and keeps the stage sizes; DP and PP costs recompute", () => {
    const costs = randomCosts(11, 20);
    const a = allocateStages(costs, { sizes: [5, 3, 3, 3, 3, 3], population: 20, trials: 300, localSearch: 4, points: 5 }, new RngStreams(11).stream("ga"));
    expect(a.stages.map((s) => s.length)).toEqual([5, 3, 3, 3, 3, 3]);
    expect(new Set(a.stages.flat()).size).toBe(20);
    expect(a.fitness).toBeLessThan(a.initialFitness);
    const genome = new Int32Array(20);
    a.stages.forEach((st, s) => st.forEach((v) => (genome[v] = s)));
    const e = evaluate(costs, genome, 6);
    expect(e.dp + 2 * e.pp).toBeCloseTo(a.fitness, 9);
    // Stages come back in tour order (the tour is undirected: either direction is optimal).
    expect([[0, 1, 2, 3, 4, 5], [0, 5, 4, 3, 2, 1]]).toContainEqual(e.order);
    expect(a.lanes.length).toBe(3);
    for (const lane of a.lanes) lane.forEach((v, s) => expect(a.stages[s]).toContain(v));
  });
  test("bottleneck matching minimises the largest pair cost (brute force on 3x3)", () => {
    const c = randomCosts(5, 6);
    const m = bottleneckMatching(c, [0, 1, 2], [3, 4, 5]);
    const perms = [[3, 4, 5], [3, 5, 4], [4, 3, 5], [4, 5, 3], [5, 3, 4], [5, 4, 3]];
    const pc = (i: number, j: number) => Math.max(c.link[i * 6 + j] + c.forward[j], c.link[j * 6 + i] + c.forward[i]);
    const best = Math.min(...perms.map((q) => Math.max(pc(0, q[0]), pc(1, q[1]), pc(2, q[2]))));
    expect(m.cost).toBe(best);
    expect(Math.max(...m.pairs.map(([i, j]) => pc(i, j)))).toBe(best);
  });
});
