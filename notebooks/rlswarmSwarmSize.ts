// Swarm size (REFERENCE §10 claim 4): how does a node's reward depend on how many peers share
// rollouts with it? rlswarm-sapo (I/J = 4/4, L = 4, uniform selection, 150 rounds) with 1, 4 and
// 16 nodes over seeds. With one node there is nobody to take external rollouts from, so its
// training set is its 4 local groups only (the real swarm also trains on what has arrived).
// Node i's specialty is task i mod 5 and the tasks differ in difficulty, so the swarm mean mixes
// swarm size with task mix: the paired comparison is node 0 (same specialty in every size).
//   node_modules/.bin/bun notebooks/rlswarmSwarmSize.ts [--seeds 8]
import { spreadMain, type Spread, type SpreadQuestion } from "./seedSpread.ts";

/** Node 0's cumulative reward in an n-node swarm over the same seed's node 0 alone: median, P05-P95, seeds above. */
export function pairedVsAlone(s: Spread, n: number): string {
  const base = s.all("1 nodes: node 0 cumulative reward");
  const xs = s.all(`${n} nodes: node 0 cumulative reward`).map((v, i) => (v !== null && base[i] ? v / base[i]! : null)).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.round(p * (xs.length - 1))))];
  const pc = (x: number) => `${x >= 1 ? "+" : ""}${((x - 1) * 100).toFixed(1)}%`;
  return `${pc(q(0.5))} (P05-P95 ${pc(q(0.05))} to ${pc(q(0.95))}; above 1 node on ${xs.filter((x) => x > 1).length}/${xs.length} seeds)`;
}

const SIZES = [1, 4, 16] as const;
const ROUNDS = 150;

export const question: SpreadQuestion = {
  slug: "rlswarm-swarm-size",
  question: "SAPO swarm size: does a node's cumulative reward grow with the number of peers it shares rollouts with (1, 4, 16)?",
  seeds: 8,
  sweeps: SIZES.map((n) => ({
    scenario: "scenarios/rlswarm-sapo.yaml",
    sets: [`nodes.0.count=${n}`, "workload.I=4", "workload.J=4", `workload.rounds=${ROUNDS}`],
    metrics: {
      [`${n} nodes: node 0 cumulative reward`]: "workload.perNode.0",
      [`${n} nodes cumulative reward`]: "workload.cumulativeReward",
      [`${n} nodes reward, last 10 rounds`]: "workload.finalReward",
      [`${n} nodes external groups per round`]: "workload.externalPerRound",
      [`${n} nodes moving-average drops`]: "workload.instability.drops",
    },
  })),
  answer: (s) => {
    const paired = (n: number) => pairedVsAlone(s, n);
    return `Node 0's cumulative reward over ${ROUNDS} rounds (I/J = 4/4, L = 4, uniform selection; node 0 has the same specialty at every size), same seed paired:
- alone (${s.quote("1 nodes external groups per round")} external groups per round): ${s.quote("1 nodes: node 0 cumulative reward")}
- in 4 nodes (${s.quote("4 nodes external groups per round")} external per round): ${s.quote("4 nodes: node 0 cumulative reward")}, ${paired(4)} vs alone
- in 16 nodes (${s.quote("16 nodes external groups per round")} external per round): ${s.quote("16 nodes: node 0 cumulative reward")}, ${paired(16)} vs alone

The swarm's mean over honest nodes (not comparable across sizes: it averages over different specialties): 1 ${s.quote("1 nodes cumulative reward")}, 4 ${s.quote("4 nodes cumulative reward")}, 16 ${s.quote("16 nodes cumulative reward")}.

Swarm reward over the last 10 rounds: 1 node ${s.quote("1 nodes reward, last 10 rounds")}, 4 nodes ${s.quote("4 nodes reward, last 10 rounds")}, 16 nodes ${s.quote("16 nodes reward, last 10 rounds")}.
Instability (drops of the 10-round moving average): 1 ${s.quote("1 nodes moving-average drops")}, 4 ${s.quote("4 nodes moving-average drops")}, 16 ${s.quote("16 nodes moving-average drops")}.
Note the single node trains on 4 groups per round, the others on up to 8: this compares swarm membership as the real client experiences it (J is a cap on what has arrived), not a fixed training-set size. 64 nodes: rlswarmSwarmSize64.ts (30 rounds: a 64-node round's cost).`;
  },
};

if (import.meta.main) await spreadMain(question);
