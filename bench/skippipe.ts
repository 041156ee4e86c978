// SkipPipe scheduler bench: GA allocation + path scheduling (blind and collision-aware) for 20,
// 100 and 500 nodes on random geo instances (costs as in core/train/skippipe/costModel.ts). At 500
// nodes only the allocation is timed: the path A* has no dominance pruning, and its partial
// routes grow as (stage size)^(path length - 1) (100 nodes already take minutes per candidate).
// The 20-node setting is the reference's: [5,3,3,3,3,3], 4-of-6 paths, default GA and CBS.
// Prints JSON lines {"bench","metric","value","unit"}.
//   node_modules/.bin/bun bench/skippipe.ts
import { RngStreams } from "../core/des/rng.ts";
import { ALLOCATION_DEFAULTS, allocateStages } from "../core/train/skippipe/allocation.ts";
import { scheduleViolations } from "../core/train/skippipe/pathProblem.ts";
import { SCHEDULER_DEFAULTS, schedulePaths } from "../core/train/skippipe/pathScheduler.ts";

const out = (metric: string, value: number, unit: string) => console.log(JSON.stringify({ bench: "skippipe", metric, value, unit }));

function costs(n: number, seed: number) {
  const r = new RngStreams(seed).stream("bench");
  const region = Array.from({ length: n }, (_, i) => i % 10);
  const forward = Float64Array.from({ length: n }, () => 2.5 * (0.95 + 0.1 * r.random()));
  const link = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) link[i * n + j] = 0.35 + (region[i] === region[j] ? 0.02 : 0.1 + r.random());
  return { n, forward, link };
}

const settings = [
  { n: 20, sizes: [5, 3, 3, 3, 3, 3], pathLength: 4, trials: ALLOCATION_DEFAULTS.trials },
  { n: 100, sizes: [10, 15, 15, 15, 15, 15, 15], pathLength: 5, trials: 200 },
  { n: 500, sizes: [50, 75, 75, 75, 75, 75, 75], pathLength: 5, trials: 20 },
];
for (const s of settings) {
  const c = costs(s.n, 1);
  let t = performance.now();
  const alloc = allocateStages(c, { ...ALLOCATION_DEFAULTS, sizes: s.sizes, trials: s.trials }, new RngStreams(1).stream("ga"));
  const allocMs = performance.now() - t;
  out(`n${s.n}_allocation_ms`, Math.round(allocMs), "ms");
  out(`n${s.n}_allocation_trials`, s.trials, "children");
  if (s.n > 100) continue;
  for (const ca of [false, true]) {
    const p = { costs: c, stages: alloc.stages, pathLength: s.pathLength, maxSwaps: 2, memory: 3, agentsPerOrigin: 3, group: 2, balanceSlack: 0 };
    t = performance.now();
    const r = schedulePaths(p, { ...SCHEDULER_DEFAULTS, collisionAware: ca, candidates: s.n > 20 ? 1 : SCHEDULER_DEFAULTS.candidates, maxExpansions: s.n > 20 ? 10 : SCHEDULER_DEFAULTS.maxExpansions }, new RngStreams(1).stream("paths"));
    const ms = performance.now() - t;
    const tag = `n${s.n}_${ca ? "ca" : "blind"}`;
    out(`${tag}_paths_ms`, Math.round(ms), "ms");
    out(`${tag}_total_s`, Number(((allocMs + ms) / 1000).toFixed(2)), "s");
    if (r.feasible) {
      out(`${tag}_planned_makespan_s`, Number(r.makespan.toFixed(2)), "s");
      out(`${tag}_violations`, scheduleViolations(p, r.plans, ca).length, "count");
    } else out(`${tag}_infeasible`, 1, r.reason);
  }
}
