// Swarm size up to 64 peers (REFERENCE §10 claim 4): rlswarmSwarmSize.ts's question at 1, 4, 16 and
// 64 nodes, over 30 rounds instead of 150 (a 64-node round costs ~5.5 CPU s here, most of it the
// network model's max-min sharing of 64 x 63 payload flows: bench/rlswarm.ts). rlswarm-sapo,
// I/J = 4/4, L = 4, uniform selection; the paired comparison is node 0 (same specialty at every size).
//   node_modules/.bin/bun notebooks/rlswarmSwarmSize64.ts [--seeds 8]
import { pairedVsAlone } from "./rlswarmSwarmSize.ts";
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const SIZES = [1, 4, 16, 64] as const;
const ROUNDS = 30;

export const question: SpreadQuestion = {
  slug: "rlswarm-swarm-size-64",
  question: "SAPO swarm size up to 64: does node 0's reward over 30 rounds grow with the number of peers (1, 4, 16, 64)?",
  seeds: 8,
  sweeps: SIZES.map((n) => ({
    scenario: "scenarios/rlswarm-sapo.yaml",
    sets: [`nodes.0.count=${n}`, "workload.I=4", "workload.J=4", `workload.rounds=${ROUNDS}`],
    metrics: {
      [`${n} nodes: node 0 cumulative reward`]: "workload.perNode.0",
      [`${n} nodes cumulative reward`]: "workload.cumulativeReward",
      [`${n} nodes external groups per round`]: "workload.externalPerRound",
      [`${n} nodes rounds missed`]: "workload.roundsMissed",
    },
  })),
  answer: (s) => {
    const paired = (n: number) => pairedVsAlone(s, n);
    return `Node 0's cumulative reward over ${ROUNDS} rounds (I/J = 4/4, L = 4, uniform selection), same seed paired with node 0 alone:
- alone: ${s.quote("1 nodes: node 0 cumulative reward")}
- 4 nodes: ${s.quote("4 nodes: node 0 cumulative reward")}, ${paired(4)}
- 16 nodes: ${s.quote("16 nodes: node 0 cumulative reward")}, ${paired(16)}
- 64 nodes: ${s.quote("64 nodes: node 0 cumulative reward")}, ${paired(64)}

External groups per round: 4 nodes ${s.quote("4 nodes external groups per round")}, 16 ${s.quote("16 nodes external groups per round")}, 64 ${s.quote("64 nodes external groups per round")}; rounds missed (mean per node): 64 nodes ${s.quote("64 nodes rounds missed")}.
30 rounds, not rlswarmSwarmSize's 150: the 64-node arm's cost (see the header). The single node trains on its 4 local groups, the others on up to 8 (J caps what has arrived).`;
  },
};

if (import.meta.main) await spreadMain(question);
