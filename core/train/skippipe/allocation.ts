// Allocation of nodes to pipeline stages: a genetic algorithm in the style of DT-FM (population,
// multi-point crossover with size repair, local search by swaps) minimising DP_cost + 2 x PP_cost
// (REFERENCE §6; skippipe:schedulers/gcma.py). DP_cost = the worst link inside any stage (its
// data-parallel all-reduce); PP_cost = the cheapest tour over stages whose stage-to-stage cost is
// a bottleneck bipartite matching. Pure: every draw comes from the Rng it is given.
import type { Rng } from "../../des/rng.ts";
import { ConfigError } from "../../errors.ts";
import type { Costs } from "./costModel.ts";
import { bottleneckMatching, stageTour } from "./stageTour.ts";

export interface AllocationOptions {
  /** Nodes per stage, stage 0 first (stage 0 holds the embedding and the loss). */
  sizes: readonly number[];
  population: number;
  /** Children bred (steady state: each replaces the worst member when better). */
  trials: number;
  /** Random swaps tried on each child (local search). */
  localSearch: number;
  /** Crossover points. */
  points: number;
}

export const ALLOCATION_DEFAULTS = { population: 40, trials: 600, localSearch: 4, points: 5 } as const;

export interface Allocation {
  /** Node indices (of the Costs) per stage, stages in pipeline order: the tour from stage 0. */
  stages: number[][];
  fitness: number;
  dpCost: number;
  ppCost: number;
  /** Full pipelines for DT-FM: one node per stage, aligned by bottleneck matching along the tour. */
  lanes: number[][];
  /** Fitness of the best member after the first generation and at the end (the GA's gain). */
  initialFitness: number;
}

interface Scored {
  genome: Int32Array;
  fitness: number;
  key: string;
}

function stagesOf(genome: Int32Array, S: number): number[][] {
  const out: number[][] = Array.from({ length: S }, () => []);
  for (let i = 0; i < genome.length; i++) out[genome[i]].push(i);
  return out;
}

/** DP_cost, PP_cost and the tour of an assignment (stage index per node). */
export function evaluate(c: Costs, genome: Int32Array, S: number): { dp: number; pp: number; order: number[]; stages: number[][] } {
  const stages = stagesOf(genome, S);
  let dp = 0;
  for (const st of stages) {
    for (const i of st) for (const j of st) if (i !== j && c.link[i * c.n + j] > dp) dp = c.link[i * c.n + j];
  }
  const pair = new Float64Array(S * S);
  for (let a = 0; a < S; a++) {
    for (let b = a + 1; b < S; b++) {
      const v = bottleneckMatching(c, stages[a], stages[b]).cost;
      pair[a * S + b] = v;
      pair[b * S + a] = v;
    }
  }
  const t = stageTour(pair, S);
  return { dp, pp: t.cost, order: t.order, stages };
}

function fitnessOf(c: Costs, genome: Int32Array, S: number): number {
  const e = evaluate(c, genome, S);
  return e.dp + 2 * e.pp;
}

function randomGenome(n: number, sizes: readonly number[], rng: Rng): Int32Array {
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const g = new Int32Array(n);
  let k = 0;
  sizes.forEach((size, s) => {
    for (let x = 0; x < size; x++) g[perm[k++]] = s;
  });
  return g;
}

/** Multi-point crossover, then repair: surplus nodes of over-full stages (drawn at random) move to under-full ones. */
function crossover(a: Int32Array, b: Int32Array, sizes: readonly number[], points: number, rng: Rng): Int32Array {
  const n = a.length;
  const cuts = new Set<number>();
  for (let p = 0; p < points; p++) cuts.add(rng.int(n));
  const child = new Int32Array(n);
  let fromA = rng.random() < 0.5;
  for (let i = 0; i < n; i++) {
    if (cuts.has(i)) fromA = !fromA;
    child[i] = fromA ? a[i] : b[i];
  }
  const count = new Int32Array(sizes.length);
  for (let i = 0; i < n; i++) count[child[i]]++;
  const surplus: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = child[i];
    if (count[s] > sizes[s]) surplus.push(i);
  }
  for (let i = surplus.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [surplus[i], surplus[j]] = [surplus[j], surplus[i]];
  }
  for (const i of surplus) {
    const s = child[i];
    if (count[s] <= sizes[s]) continue;
    let t = 0;
    while (count[t] >= sizes[t]) t++;
    count[s]--;
    count[t]++;
    child[i] = t;
  }
  return child;
}

function localSearch(c: Costs, g: Int32Array, fit: number, S: number, tries: number, rng: Rng): number {
  const n = g.length;
  for (let t = 0; t < tries; t++) {
    const i = rng.int(n);
    const j = rng.int(n);
    if (g[i] === g[j]) continue;
    [g[i], g[j]] = [g[j], g[i]];
    const f = fitnessOf(c, g, S);
    if (f < fit) fit = f;
    else [g[i], g[j]] = [g[j], g[i]];
  }
  return fit;
}

/** Full pipelines (lanes) for DT-FM: lane heads at stage 0 matched stage by stage along the order. */
function buildLanes(c: Costs, stages: number[][]): number[][] {
  const L = Math.min(...stages.map((s) => s.length));
  // Start from the stage-0 nodes best matched to stage 1.
  const first = stages.length > 1 ? bottleneckMatching(c, stages[0], stages[1]).pairs.slice(0, L) : stages[0].slice(0, L).map((u) => [u, u] as [number, number]);
  const lanes = first.map(([u]) => [u]);
  for (let s = 1; s < stages.length; s++) {
    const heads = lanes.map((l) => l[l.length - 1]);
    const pairs = bottleneckMatching(c, heads, stages[s]).pairs;
    const byHead = new Map(pairs.map(([h, v]) => [h, v]));
    lanes.forEach((l, k) => l.push(byHead.get(heads[k])!));
  }
  return lanes;
}

/** Runs the GA; stage 0 keeps sizes[0] nodes, the other stages are ordered along the best tour. */
export function allocateStages(c: Costs, options: AllocationOptions, rng: Rng): Allocation {
  const { sizes } = options;
  const S = sizes.length;
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== c.n) throw new ConfigError(`allocation: stage sizes [${sizes.join(", ")}] sum to ${total}, but there are ${c.n} nodes`);
  if (sizes.some((s) => !Number.isSafeInteger(s) || s < 1)) throw new ConfigError(`allocation: every stage needs at least one node, got [${sizes.join(", ")}]`);
  const pop: Scored[] = [];
  const keys = new Set<string>();
  const add = (genome: Int32Array, fitness: number): boolean => {
    const key = genome.join(",");
    if (keys.has(key)) return false;
    keys.add(key);
    pop.push({ genome, fitness, key });
    return true;
  };
  for (let tries = 0; pop.length < options.population && tries < options.population * 4; tries++) {
    const g = randomGenome(c.n, sizes, rng);
    add(g, fitnessOf(c, g, S));
  }
  const best = () => pop.reduce((a, b) => (b.fitness < a.fitness ? b : a));
  const initialFitness = best().fitness;
  const pick = () => {
    const a = pop[rng.int(pop.length)];
    const b = pop[rng.int(pop.length)];
    return a.fitness <= b.fitness ? a : b;
  };
  for (let t = 0; t < options.trials && pop.length > 1; t++) {
    const child = crossover(pick().genome, pick().genome, sizes, options.points, rng);
    const f = localSearch(c, child, fitnessOf(c, child, S), S, options.localSearch, rng);
    let worst = 0;
    for (let k = 1; k < pop.length; k++) if (pop[k].fitness > pop[worst].fitness) worst = k;
    const key = child.join(",");
    if (f < pop[worst].fitness && !keys.has(key)) {
      keys.delete(pop[worst].key);
      pop.splice(worst, 1);
      add(child, f);
    }
  }
  const b = best();
  const e = evaluate(c, b.genome, S);
  const stages = e.order.map((s) => e.stages[s]);
  return { stages, fitness: b.fitness, dpCost: e.dp, ppCost: e.pp, lanes: buildLanes(c, stages), initialFitness };
}
