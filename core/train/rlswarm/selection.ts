// External rollout selection (REFERENCE §7): the public swarm changed this rule three times, so it
// is a parameter. Candidates are the valid payloads gathered this round from other peers, already
// re-scored by the receiver's own verifier.
import type { Rng } from "../../des/rng.ts";
import { zeroAdvantage } from "./grpo.ts";
import type { Payload } from "./payload.ts";

export const SELECTION_RULES = ["uniform", "reward-sorted", "first-valid", "top-k-reward"] as const;
export type SelectionRule = (typeof SELECTION_RULES)[number];

export interface Candidate {
  payload: Payload;
  /** The receiver's rewards of the L completions. */
  rewards: number[];
}

/** v1's pick_k_cols: k peers. */
export const TOP_K = 5;

const byPeer = (a: Candidate, b: Candidate) =>
  a.payload.peer < b.payload.peer ? -1 : a.payload.peer > b.payload.peer ? 1 : a.payload.index - b.payload.index;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * J candidates by `rule`:
 * - uniform (SAPO paper §4): drop zero-advantage groups, then sample J uniformly;
 * - reward-sorted (genrl example): drop groups with zero summed reward, keep the top J;
 * - first-valid (rl-swarm 1880d95, the anti-bad-actor rule): the first J in sorted peer-id order;
 * - top-k-reward (v1 pick_k_cols): payloads of the k peers with the highest self-reported
 *   reward, highest first, first J.
 * Ties break by peer id then question index.
 */
export function selectExternal(rule: SelectionRule, candidates: readonly Candidate[], J: number, rng: Rng): Candidate[] {
  if (J <= 0 || candidates.length === 0) return [];
  const sorted = [...candidates].sort(byPeer);
  switch (rule) {
    case "uniform": {
      const pool = sorted.filter((c) => !zeroAdvantage(c.rewards));
      const out: Candidate[] = [];
      while (out.length < J && pool.length > 0) out.push(pool.splice(rng.int(pool.length), 1)[0]);
      return out;
    }
    case "reward-sorted": {
      const pool = sorted.filter((c) => sum(c.rewards) > 0);
      return pool.map((c, i) => ({ c, i, s: sum(c.rewards) })).sort((a, b) => b.s - a.s || a.i - b.i).slice(0, J).map((x) => x.c);
    }
    case "first-valid":
      return sorted.slice(0, J);
    case "top-k-reward": {
      const best = new Map<string, number>();
      for (const c of sorted) best.set(c.payload.peer, Math.max(best.get(c.payload.peer) ?? -Infinity, c.payload.reward));
      const peers = [...best.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_K).map(([p]) => p);
      const rank = new Map(peers.map((p, i) => [p, i]));
      return sorted.filter((c) => rank.has(c.payload.peer)).sort((a, b) => rank.get(a.payload.peer)! - rank.get(b.payload.peer)! || byPeer(a, b)).slice(0, J);
    }
  }
}
