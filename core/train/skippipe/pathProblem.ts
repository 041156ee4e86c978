// The path-scheduling problem of SkipPipe (REFERENCE §6) and the checker of its constraints:
// agents are microbatch groups at stage-0 nodes; each visits stage 0 first and last, exactly
// pathLength stages, never revisits one, swaps adjacent stages at most maxSwaps times, holds at
// most `memory` agents per node, keeps per-stage visits under the balance cap, and (collision
// aware) never overlaps another agent's compute window on a node.
import type { Costs } from "./costModel.ts";
import { BACKWARD_FACTOR, LOSS_FACTOR } from "./costModel.ts";

export interface PathProblem {
  costs: Costs;
  /** Node indices per stage in pipeline order; stage 0's nodes are the origins. */
  stages: readonly (readonly number[])[];
  /** Stages each microbatch visits, stage 0 included (e.g. 4 of 6). */
  pathLength: number;
  /** Adjacent swaps allowed per path (distance 1 each). */
  maxSwaps: number;
  /** Agents (microbatch groups) a node may hold at once; also the visit cap per node. */
  memory: number;
  agentsPerOrigin: number;
  /** Microbatches per agent. */
  group: number;
  /** Per-stage visit cap = ceil(agents x (pathLength - 1) / (S - 1)) + balanceSlack. */
  balanceSlack: number;
}

export type WindowKind = "fwd" | "loss" | "bwd";

export interface Window {
  node: number;
  start: number;
  end: number;
  kind: WindowKind;
}

export interface AgentPlan {
  agent: number;
  origin: number;
  /** Stages visited after stage 0, in path order. */
  stages: number[];
  /** Node of each visited stage, in path order. */
  route: number[];
  /** Compute windows in time order: origin fwd, route fwds, loss, route bwds reversed, origin bwd. */
  windows: Window[];
  finish: number;
}

export function stageOfNodes(p: PathProblem): Int32Array {
  const out = new Int32Array(p.costs.n).fill(-1);
  p.stages.forEach((st, s) => {
    for (const v of st) out[v] = s;
  });
  return out;
}

export function agentCount(p: PathProblem): number {
  return p.stages[0].length * p.agentsPerOrigin;
}

export function balanceCap(p: PathProblem): number {
  const S = p.stages.length;
  if (S <= 1) return 0;
  return Math.ceil((agentCount(p) * (p.pathLength - 1)) / (S - 1)) + p.balanceSlack;
}

/** Visit cap of stage s: the balance cap, and no more than its nodes' memory allows. */
export function stageCap(p: PathProblem, s: number): number {
  const m = p.memory * p.stages[s].length;
  const b = balanceCap(p);
  return m < b ? m : b;
}

/**
 * Whether a stage sequence (stages after 0, in path order) is the ascending order with at most
 * maxSwaps disjoint swaps of neighbours: each element is above everything before it, except
 * that it may sit just below its predecessor when that one was not itself swapped.
 */
export function validStageSequence(seq: readonly number[], maxSwaps: number): boolean {
  let swaps = 0;
  let max = 0;
  let beforeLast = 0;
  let lastSwapped = false;
  for (let i = 0; i < seq.length; i++) {
    const t = seq[i];
    if (t <= 0) return false;
    if (t > max) {
      beforeLast = max;
      max = t;
      lastSwapped = false;
    } else if (i > 0 && t < seq[i - 1] && seq[i - 1] === max && !lastSwapped && t > beforeLast && swaps < maxSwaps) {
      swaps++;
      lastSwapped = true;
      beforeLast = max;
    } else return false;
  }
  return true;
}

/** The infeasibility reason of an instance, or null when a schedule can exist. */
export function infeasibility(p: PathProblem): string | null {
  const S = p.stages.length;
  const A = agentCount(p);
  if (p.pathLength < 1 || p.pathLength > S) return `path length ${p.pathLength} must be between 1 and the ${S} stages`;
  if (p.agentsPerOrigin > p.memory) return `${p.agentsPerOrigin} agents per stage-0 node exceed its memory of ${p.memory}`;
  let room = 0;
  for (let s = 1; s < S; s++) room += Math.min(stageCap(p, s), A);
  const need = A * (p.pathLength - 1);
  if (room < need) return `${A} agents need ${need} stage visits, but memory ${p.memory} and the balance cap ${balanceCap(p)} allow ${room}`;
  return null;
}

/** Timing of one agent along a route, each compute start pushed past any blocked interval of that node. */
export function timeRoute(p: PathProblem, origin: number, route: readonly number[], blocked: ReadonlyMap<number, readonly [number, number][]> | null): { windows: Window[]; finish: number } {
  const c = p.costs;
  const g = p.group;
  const windows: Window[] = [];
  let t = 0;
  const place = (node: number, dur: number, kind: WindowKind) => {
    const b = blocked?.get(node);
    if (b !== undefined) {
      let moved = true;
      while (moved) {
        moved = false;
        for (const [s, e] of b) {
          if (s < t + dur && t < e) {
            t = e;
            moved = true;
          }
        }
      }
    }
    windows.push({ node, start: t, end: t + dur, kind });
    t += dur;
  };
  place(origin, g * c.forward[origin], "fwd");
  let prev = origin;
  for (const v of route) {
    t += c.link[prev * c.n + v];
    place(v, g * c.forward[v], "fwd");
    prev = v;
  }
  t += c.link[prev * c.n + origin];
  place(origin, g * c.forward[origin] * LOSS_FACTOR, "loss");
  prev = origin;
  for (let i = route.length - 1; i >= 0; i--) {
    const v = route[i];
    t += c.link[prev * c.n + v];
    place(v, g * c.forward[v] * BACKWARD_FACTOR, "bwd");
    prev = v;
  }
  t += c.link[prev * c.n + origin];
  place(origin, g * c.forward[origin] * BACKWARD_FACTOR, "bwd");
  return { windows, finish: t };
}

/** Every constraint a schedule breaks (empty when it keeps them all). */
export function scheduleViolations(p: PathProblem, plans: readonly AgentPlan[], collisionAware: boolean): string[] {
  const out: string[] = [];
  const stageOf = stageOfNodes(p);
  const c = p.costs;
  const S = p.stages.length;
  if (plans.length !== agentCount(p)) out.push(`${plans.length} agents planned, ${agentCount(p)} expected`);
  const visitsNode = new Int32Array(c.n);
  const visitsStage = new Int32Array(S);
  for (const a of plans) {
    const tag = `agent ${a.agent}`;
    if (stageOf[a.origin] !== 0) out.push(`${tag}: origin ${a.origin} is not a stage-0 node`);
    visitsNode[a.origin]++;
    if (a.route.length !== p.pathLength - 1) out.push(`${tag}: route visits ${a.route.length + 1} stages, path length is ${p.pathLength}`);
    if (new Set(a.stages).size !== a.stages.length) out.push(`${tag}: revisits a stage (${a.stages.join(",")})`);
    if (!validStageSequence(a.stages, p.maxSwaps)) out.push(`${tag}: stage order ${a.stages.join(",")} is not ascending with <= ${p.maxSwaps} adjacent swaps`);
    a.route.forEach((v, i) => {
      if (stageOf[v] !== a.stages[i]) out.push(`${tag}: node ${v} is in stage ${stageOf[v]}, not ${a.stages[i]}`);
      if (stageOf[v] === 0) out.push(`${tag}: visits stage 0 in the middle of its path`);
      visitsNode[v]++;
      visitsStage[stageOf[v] < 0 ? 0 : stageOf[v]]++;
    });
    // Windows: stage 0 first and last, and each compute starts no earlier than its input can arrive.
    const w = a.windows;
    const k = a.route.length;
    if (w.length !== 2 * k + 3) out.push(`${tag}: ${w.length} windows, expected ${2 * k + 3}`);
    else {
      const nodes = [a.origin, ...a.route, a.origin, ...[...a.route].reverse(), a.origin];
      const kinds: WindowKind[] = ["fwd", ...a.route.map(() => "fwd" as const), "loss", ...a.route.map(() => "bwd" as const), "bwd"];
      const factor = (kd: WindowKind) => (kd === "fwd" ? 1 : kd === "loss" ? LOSS_FACTOR : BACKWARD_FACTOR);
      for (let i = 0; i < w.length; i++) {
        if (w[i].node !== nodes[i] || w[i].kind !== kinds[i]) out.push(`${tag}: window ${i} is ${w[i].kind}@${w[i].node}, expected ${kinds[i]}@${nodes[i]}`);
        const dur = p.group * c.forward[nodes[i]] * factor(kinds[i]);
        if (Math.abs(w[i].end - w[i].start - dur) > 1e-9 * (1 + dur)) out.push(`${tag}: window ${i} lasts ${w[i].end - w[i].start}, expected ${dur}`);
        if (i > 0 && w[i].start < w[i - 1].end + c.link[nodes[i - 1] * c.n + nodes[i]] - 1e-9) out.push(`${tag}: window ${i} starts before its input arrives`);
      }
      if (w[0].start < 0) out.push(`${tag}: starts before time 0`);
      if (Math.abs(a.finish - w[w.length - 1].end) > 1e-9) out.push(`${tag}: finish ${a.finish} is not its last window's end`);
    }
  }
  for (let v = 0; v < c.n; v++) if (visitsNode[v] > p.memory) out.push(`node ${v}: ${visitsNode[v]} agents exceed memory ${p.memory}`);
  for (let s = 1; s < S; s++) if (visitsStage[s] > stageCap(p, s)) out.push(`stage ${s}: ${visitsStage[s]} visits exceed the cap ${stageCap(p, s)}`);
  // Memory over time: agents holding activations on a node (first window there to last) at once.
  const held = new Map<number, [number, number][]>();
  for (const a of plans) {
    const span = new Map<number, [number, number]>();
    for (const w of a.windows) {
      const s = span.get(w.node);
      if (s === undefined) span.set(w.node, [w.start, w.end]);
      else s[1] = w.end;
    }
    for (const [v, s] of span) (held.get(v) ?? held.set(v, []).get(v)!).push(s);
  }
  for (const [v, spans] of held) {
    const ev = spans.flatMap(([s, e]) => [[s, 1], [e, -1]] as [number, number][]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let cur = 0;
    for (const [, d] of ev) {
      cur += d;
      if (cur > p.memory) {
        out.push(`node ${v}: ${cur} agents hold activations at once, memory ${p.memory}`);
        break;
      }
    }
  }
  if (collisionAware) {
    const c2 = firstCollision(plans);
    if (c2 !== null) out.push(`node ${c2.node}: agents ${c2.a} and ${c2.b} overlap at ${c2.at.toFixed(3)} s`);
  }
  return out;
}

export interface Collision {
  node: number;
  a: number;
  b: number;
  wa: Window;
  wb: Window;
  at: number;
}

/** The earliest pair of overlapping compute windows of two agents on one node, or null. */
export function firstCollision(plans: readonly AgentPlan[]): Collision | null {
  const byNode = new Map<number, { agent: number; w: Window }[]>();
  for (const a of plans) for (const w of a.windows) (byNode.get(w.node) ?? byNode.set(w.node, []).get(w.node)!).push({ agent: a.agent, w });
  let best: Collision | null = null;
  for (const [node, list] of byNode) {
    list.sort((x, y) => x.w.start - y.w.start || x.agent - y.agent);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length && list[j].w.start < list[i].w.end; j++) {
        if (list[j].agent === list[i].agent) continue;
        const at = list[j].w.start;
        if (best === null || at < best.at || (at === best.at && node < best.node)) best = { node, a: list[i].agent, b: list[j].agent, wa: list[i].w, wb: list[j].w, at };
      }
    }
  }
  return best;
}

/** Number of overlapping window pairs between different agents (CBS's focal heuristic). */
export function collisionCount(plans: readonly AgentPlan[]): number {
  const byNode = new Map<number, { agent: number; w: Window }[]>();
  for (const a of plans) for (const w of a.windows) (byNode.get(w.node) ?? byNode.set(w.node, []).get(w.node)!).push({ agent: a.agent, w });
  let n = 0;
  for (const list of byNode.values()) {
    list.sort((x, y) => x.w.start - y.w.start || x.agent - y.agent);
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length && list[j].w.start < list[i].w.end; j++) if (list[j].agent !== list[i].agent) n++;
  }
  return n;
}
