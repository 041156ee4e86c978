// SkipPipe's path scheduler (REFERENCE §6; skippipe:schedulers/a_star_modified.py, CBS.py):
// multi-agent path finding. A modified A* plans one agent's route (stage 0 -> pathLength - 1
// stages -> stage 0 for the loss -> the reverse route for the backward pass) under the memory
// and balance caps left by the other agents, waiting out blocked windows; conflict-based search
// over it resolves collisions (two agents' compute windows overlapping on one node) by blocking
// the other agent's window for one of them. Like the reference, the search stops after
// maxSolutions conflict-free solutions or once one is below improveRatio x the first; past
// maxExpansions it finishes with prioritized planning (each agent avoids the windows of those
// placed before it), which is conflict-free by construction.
import type { Rng } from "../../des/rng.ts";
import { BACKWARD_FACTOR, LOSS_FACTOR } from "./costModel.ts";
import {
  type AgentPlan,
  type PathProblem,
  agentCount,
  collisionCount,
  firstCollision,
  infeasibility,
  stageCap,
  stageOfNodes,
  timeRoute,
} from "./pathProblem.ts";

export interface SchedulerOptions {
  collisionAware: boolean;
  /** Phase-1 candidates (agent orders) tried; the best by planned makespan is kept. */
  candidates: number;
  maxSolutions: number;
  improveRatio: number;
  maxExpansions: number;
}

export const SCHEDULER_DEFAULTS = { candidates: 4, maxSolutions: 8, improveRatio: 0.88, maxExpansions: 300 } as const;

export type PathSchedule =
  | {
      feasible: true;
      plans: AgentPlan[];
      /** Planned iteration time: the last agent's finish. */
      makespan: number;
      /** Makespan of the first (phase-1, collision-blind) plan. */
      firstMakespan: number;
      method: "independent" | "cbs" | "prioritized";
      solutions: number;
      expansions: number;
    }
  | { feasible: false; reason: string };

type Blocked = Map<number, [number, number][]>;

/** Min-heap on (key, insertion order): deterministic ties. */
class Heap<T> {
  private items: { k: number; k2: number; seq: number; v: T }[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  push(k: number, k2: number, v: T): void {
    const a = this.items;
    a.push({ k, k2, seq: this.seq++, v });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top.v;
  }
  private less(x: { k: number; k2: number; seq: number }, y: { k: number; k2: number; seq: number }): boolean {
    return x.k < y.k || (x.k === y.k && (x.k2 < y.k2 || (x.k2 === y.k2 && x.seq < y.seq)));
  }
}

interface Usage {
  node: Int32Array;
  stage: Int32Array;
}

function usageOf(p: PathProblem, plans: readonly (AgentPlan | null)[], except: number, stageOf: Int32Array): Usage {
  const node = new Int32Array(p.costs.n);
  const stage = new Int32Array(p.stages.length);
  for (const a of plans) {
    if (a === null || a.agent === except) continue;
    for (const v of a.route) {
      node[v]++;
      stage[stageOf[v]]++;
    }
  }
  return { node, stage };
}

interface Partial {
  route: number[];
  stages: number[];
  t: number;
  max: number;
  beforeLast: number;
  lastSwapped: boolean;
  swaps: number;
}

/**
 * A* for one agent: the route of least finish time under the caps left by `usage` and the
 * agent's blocked windows. `remainingAgents` agents still to plan after this one (phase 1):
 * a route is kept only if they can still find distinct stages within the caps.
 */
function planAgent(p: PathProblem, agent: number, origin: number, usage: Usage, blocked: Blocked | null, remainingAgents: number, stageOf: Int32Array): AgentPlan | null {
  const c = p.costs;
  const S = p.stages.length;
  const k = p.pathLength - 1;
  const g = p.group;
  let minF = Infinity;
  let minLink = Infinity;
  for (let s = 1; s < S; s++) for (const v of p.stages[s]) if (c.forward[v] < minF) minF = c.forward[v];
  for (let i = 0; i < c.n * c.n; i++) if (i % (c.n + 1) !== 0 && c.link[i] < minLink) minLink = c.link[i];
  if (!Number.isFinite(minF)) minF = 0;
  if (!Number.isFinite(minLink)) minLink = 0;
  const fo = c.forward[origin];
  // Lower bound of what follows a partial route of `len` nodes whose chosen nodes' compute is `chosenF`.
  const h = (len: number, chosenF: number) => {
    const left = k - len;
    return left * (minLink + g * minF) + minLink + g * fo * LOSS_FACTOR + (k + 1) * minLink + BACKWARD_FACTOR * g * (chosenF + left * minF + fo);
  };
  const origBlocked = blocked?.get(origin);
  let t0 = 0;
  if (origBlocked !== undefined) {
    let moved = true;
    while (moved) {
      moved = false;
      for (const [s, e] of origBlocked) if (s < t0 + g * fo && t0 < e) {
        t0 = e;
        moved = true;
      }
    }
  }
  const heap = new Heap<{ partial: Partial; chosenF: number } | { plan: AgentPlan }>();
  heap.push(t0 + g * fo + h(0, 0), 0, { partial: { route: [], stages: [], t: t0 + g * fo, max: 0, beforeLast: 0, lastSwapped: false, swaps: 0 }, chosenF: 0 });
  let pops = 0;
  for (;;) {
    const item = heap.pop();
    if (item === undefined) return null;
    if ("plan" in item) return item.plan;
    if (++pops > 200_000) return null;
    const { partial: q, chosenF } = item;
    if (q.route.length === k) {
      if (remainingAgents > 0) {
        // Can the agents after this one still find distinct stages? sum_s min(cap left, R) >= R (k).
        let room = 0;
        for (let s = 1; s < S; s++) {
          const left = stageCap(p, s) - usage.stage[s] - (q.stages.includes(s) ? 1 : 0);
          room += Math.min(Math.max(left, 0), remainingAgents);
        }
        if (room < remainingAgents * k) continue;
      }
      const timed = timeRoute(p, origin, q.route, blocked);
      heap.push(timed.finish, 1, { plan: { agent, origin, stages: q.stages, route: q.route, windows: timed.windows, finish: timed.finish } });
      continue;
    }
    const last = q.route.length === 0 ? origin : q.route[q.route.length - 1];
    const lastStage = q.stages.length === 0 ? 0 : q.stages[q.stages.length - 1];
    for (let s = 1; s < S; s++) {
      if (q.stages.includes(s)) continue;
      let next: Pick<Partial, "max" | "beforeLast" | "lastSwapped" | "swaps">;
      if (s > q.max) next = { max: s, beforeLast: q.max, lastSwapped: false, swaps: q.swaps };
      else if (q.stages.length > 0 && s < lastStage && lastStage === q.max && !q.lastSwapped && s > q.beforeLast && q.swaps < p.maxSwaps) {
        next = { max: q.max, beforeLast: q.max, lastSwapped: true, swaps: q.swaps + 1 };
      } else continue;
      if (usage.stage[s] + 1 > stageCap(p, s)) continue;
      for (const v of p.stages[s]) {
        if (usage.node[v] + 1 > p.memory) continue;
        let t = q.t + c.link[last * c.n + v];
        const dur = g * c.forward[v];
        const b = blocked?.get(v);
        if (b !== undefined) {
          let moved = true;
          while (moved) {
            moved = false;
            for (const [bs, be] of b) if (bs < t + dur && t < be) {
              t = be;
              moved = true;
            }
          }
        }
        t += dur;
        const partial: Partial = { route: [...q.route, v], stages: [...q.stages, s], t, ...next };
        const cf = chosenF + c.forward[v];
        heap.push(t + h(partial.route.length, cf), 0, { partial, chosenF: cf });
      }
    }
  }
}

function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Phase 1: agents planned one by one (seeded order) under memory and balance, collisions ignored. */
function independentPlans(p: PathProblem, order: readonly number[], stageOf: Int32Array): AgentPlan[] | null {
  const A = agentCount(p);
  const plans: (AgentPlan | null)[] = new Array(A).fill(null);
  const origins = p.stages[0];
  for (let idx = 0; idx < order.length; idx++) {
    const a = order[idx];
    const origin = origins[Math.floor(a / p.agentsPerOrigin)];
    const plan = planAgent(p, a, origin, usageOf(p, plans, a, stageOf), null, A - idx - 1, stageOf);
    if (plan === null) return null;
    plans[a] = plan;
  }
  return plans as AgentPlan[];
}

function makespanOf(plans: readonly AgentPlan[]): number {
  let m = 0;
  for (const a of plans) if (a.finish > m) m = a.finish;
  return m;
}

/** Prioritized completion: agents by current finish, each avoiding every window of those placed before it. */
function prioritized(p: PathProblem, plans: readonly AgentPlan[], stageOf: Int32Array): AgentPlan[] {
  const order = [...plans].sort((x, y) => x.finish - y.finish || x.agent - y.agent).map((a) => a.agent);
  const out: AgentPlan[] = plans.map((a) => ({ ...a }));
  const placed: AgentPlan[] = [];
  for (const a of order) {
    const blocked: Blocked = new Map();
    for (const q of placed) for (const w of q.windows) (blocked.get(w.node) ?? blocked.set(w.node, []).get(w.node)!).push([w.start, w.end]);
    const plan = planAgent(p, a, out[a].origin, usageOf(p, out, a, stageOf), blocked, 0, stageOf);
    // Keeping its own route always fits the caps, so the A* finds at least that.
    out[a] = plan ?? { ...out[a], ...timeRoute(p, out[a].origin, out[a].route, blocked) };
    placed.push(out[a]);
  }
  return out;
}

interface CbsNode {
  plans: AgentPlan[];
  blocked: Blocked[];
}

/** Plans every agent's path. Infeasible instances come back with their reason. */
export function schedulePaths(p: PathProblem, o: SchedulerOptions, rng: Rng): PathSchedule {
  const why = infeasibility(p);
  if (why !== null) return { feasible: false, reason: why };
  const stageOf = stageOfNodes(p);
  const A = agentCount(p);
  let root: AgentPlan[] | null = null;
  for (let cand = 0; cand < Math.max(1, o.candidates); cand++) {
    const plans = independentPlans(p, shuffled(A, rng), stageOf);
    if (plans !== null && (root === null || makespanOf(plans) < makespanOf(root))) root = plans;
  }
  if (root === null) return { feasible: false, reason: `no routes within memory ${p.memory} and balance cap found in ${o.candidates} agent orders` };
  const firstMakespan = makespanOf(root);
  if (!o.collisionAware) return { feasible: true, plans: root, makespan: firstMakespan, firstMakespan, method: "independent", solutions: 1, expansions: 0 };

  const open = new Heap<CbsNode>();
  open.push(collisionCount(root), firstMakespan, { plans: root, blocked: root.map(() => new Map()) });
  let best: AgentPlan[] | null = null;
  let firstSolution = Infinity;
  let solutions = 0;
  let expansions = 0;
  while (open.size > 0 && expansions < o.maxExpansions) {
    const node = open.pop()!;
    const col = firstCollision(node.plans);
    if (col === null) {
      solutions++;
      const m = makespanOf(node.plans);
      if (solutions === 1) firstSolution = m;
      if (best === null || m < makespanOf(best)) best = node.plans;
      if (solutions >= o.maxSolutions || m < o.improveRatio * firstSolution) break;
      continue;
    }
    expansions++;
    for (const [agent, other] of [
      [col.a, col.wb],
      [col.b, col.wa],
    ] as const) {
      const blocked = node.blocked.map((b, i) => (i === agent ? new Map([...b].map(([k, v]) => [k, [...v]])) : b));
      const mine = blocked[agent];
      (mine.get(other.node) ?? mine.set(other.node, []).get(other.node)!).push([other.start, other.end]);
      const plan = planAgent(p, agent, node.plans[agent].origin, usageOf(p, node.plans, agent, stageOf), mine, 0, stageOf);
      if (plan === null) continue;
      const plans = node.plans.map((a) => (a.agent === agent ? plan : a));
      open.push(collisionCount(plans), makespanOf(plans), { plans, blocked });
    }
  }
  // Prioritized planning (agents by planned finish: conflict-free by construction) competes with
  // CBS's solutions; the shorter makespan wins.
  const done = prioritized(p, root, stageOf);
  if (best !== null && makespanOf(best) <= makespanOf(done)) return { feasible: true, plans: best, makespan: makespanOf(best), firstMakespan, method: "cbs", solutions, expansions };
  return { feasible: true, plans: done, makespan: makespanOf(done), firstMakespan, method: "prioritized", solutions, expansions };
}
