// Stage-to-stage costs for SkipPipe's allocation (REFERENCE §6; DT-FM, Yuan et al. 2022): the
// cost between two stages is a bottleneck bipartite matching (the smallest possible maximum of
// link + receiver compute over a matching that covers the smaller stage), and the pipeline cost
// is the cheapest tour over stages that starts and ends at stage 0.
import type { Costs } from "./costModel.ts";

/** Edge cost between node i (sending) and node j (receiving), symmetrised so tours are undirected. */
export function pairCost(c: Costs, i: number, j: number): number {
  const a = c.link[i * c.n + j] + c.forward[j];
  const b = c.link[j * c.n + i] + c.forward[i];
  return a > b ? a : b;
}

/** Kuhn's augmenting paths on edges with cost <= limit; returns match of each `left` index into `right` or null. */
function matchUnder(c: Costs, left: readonly number[], right: readonly number[], limit: number): Int32Array | null {
  const matchR = new Int32Array(right.length).fill(-1);
  const matchL = new Int32Array(left.length).fill(-1);
  const seen = new Uint8Array(right.length);
  const augment = (u: number): boolean => {
    for (let v = 0; v < right.length; v++) {
      if (seen[v] || pairCost(c, left[u], right[v]) > limit) continue;
      seen[v] = 1;
      if (matchR[v] < 0 || augment(matchR[v])) {
        matchR[v] = u;
        matchL[u] = v;
        return true;
      }
    }
    return false;
  };
  for (let u = 0; u < left.length; u++) {
    seen.fill(0);
    if (!augment(u)) return null;
  }
  return matchL;
}

/**
 * Bottleneck matching between two stages: every node of the smaller side (`left` when equal) is
 * matched to a distinct node of the other, minimising the largest pair cost. Returns that cost and
 * the pairs as [left node, right node] in left order.
 */
export function bottleneckMatching(c: Costs, a: readonly number[], b: readonly number[]): { cost: number; pairs: [number, number][] } {
  const swap = a.length > b.length;
  const left = swap ? b : a;
  const right = swap ? a : b;
  if (left.length === 0) return { cost: 0, pairs: [] };
  const values: number[] = [];
  for (const u of left) for (const v of right) values.push(pairCost(c, u, v));
  values.sort((x, y) => x - y);
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matchUnder(c, left, right, values[mid]) !== null) hi = mid;
    else lo = mid + 1;
  }
  const m = matchUnder(c, left, right, values[lo])!;
  const pairs: [number, number][] = left.map((u, k) => (swap ? [right[m[k]], u] : [u, right[m[k]]]));
  return { cost: values[lo], pairs };
}

/**
 * Cheapest closed tour over stages 0..S-1 starting at stage 0, given a symmetric S x S cost
 * matrix. Exact (Held-Karp) up to 13 stages; nearest neighbour + 2-opt beyond. Returns the stage
 * order (starting with 0) and its cost.
 */
export function stageTour(cost: Float64Array, S: number): { order: number[]; cost: number } {
  if (S === 1) return { order: [0], cost: 0 };
  if (S <= 13) return heldKarp(cost, S);
  return twoOpt(cost, S);
}

function heldKarp(cost: Float64Array, S: number): { order: number[]; cost: number } {
  const K = S - 1; // stages 1..S-1 as bits 0..K-1
  const full = (1 << K) - 1;
  const dp = new Float64Array((1 << K) * K).fill(Infinity);
  const parent = new Int32Array((1 << K) * K).fill(-1);
  for (let j = 0; j < K; j++) dp[(1 << j) * K + j] = cost[0 * S + j + 1];
  for (let mask = 1; mask <= full; mask++) {
    for (let j = 0; j < K; j++) {
      const cur = dp[mask * K + j];
      if (!(mask & (1 << j)) || cur === Infinity) continue;
      for (let k = 0; k < K; k++) {
        if (mask & (1 << k)) continue;
        const next = mask | (1 << k);
        const v = cur + cost[(j + 1) * S + k + 1];
        if (v < dp[next * K + k]) {
          dp[next * K + k] = v;
          parent[next * K + k] = j;
        }
      }
    }
  }
  let best = Infinity;
  let last = -1;
  for (let j = 0; j < K; j++) {
    const v = dp[full * K + j] + cost[(j + 1) * S];
    if (v < best) {
      best = v;
      last = j;
    }
  }
  const rev: number[] = [];
  let mask = full;
  while (last >= 0) {
    rev.push(last + 1);
    const p = parent[mask * K + last];
    mask &= ~(1 << last);
    last = p;
  }
  return { order: [0, ...rev.reverse()], cost: best };
}

function tourCost(cost: Float64Array, S: number, order: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < order.length; i++) s += cost[order[i] * S + order[(i + 1) % order.length]];
  return s;
}

function twoOpt(cost: Float64Array, S: number): { order: number[]; cost: number } {
  const order = [0];
  const used = new Uint8Array(S);
  used[0] = 1;
  for (let step = 1; step < S; step++) {
    const from = order[order.length - 1];
    let best = -1;
    for (let j = 1; j < S; j++) if (!used[j] && (best < 0 || cost[from * S + j] < cost[from * S + best])) best = j;
    used[best] = 1;
    order.push(best);
  }
  let improved = true;
  while (improved) {
    improved = false;
    for (let i = 1; i < S - 1; i++) {
      for (let k = i + 1; k < S; k++) {
        const a = order[i - 1];
        const b = order[i];
        const c2 = order[k];
        const d = order[(k + 1) % S];
        const delta = cost[a * S + c2] + cost[b * S + d] - cost[a * S + b] - cost[c2 * S + d];
        if (delta < -1e-12) {
          for (let x = i, y = k; x < y; x++, y--) [order[x], order[y]] = [order[y], order[x]];
          improved = true;
        }
      }
    }
  }
  return { order, cost: tourCost(cost, S, order) };
}
