// GRPO iterations (REFERENCE §7, genrl's num_iterations): with k Adam steps per round on the same
// rollouts the clipped ratio binds (the old log-probabilities are held fixed). Does a SAPO swarm
// (rlswarm-sapo: 8 nodes, I/J = 4/4, L = 4, uniform selection, 60 rounds) gain reward from k = 4
// over the public default k = 1, and how much of the gradient does the clip zero?
//   node_modules/.bin/bun notebooks/rlswarmIterations.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const ITERATIONS = [1, 4] as const;
const ROUNDS = 60;

export const question: SpreadQuestion = {
  slug: "rlswarm-iterations",
  question: "SAPO with GRPO num_iterations 4 instead of 1: more reward per round, and how often does the clip (epsilon 0.2 / 0.28) bind?",
  seeds: 8,
  sweeps: ITERATIONS.map((k) => ({
    scenario: "scenarios/rlswarm-sapo.yaml",
    sets: [`workload.iterations=${k}`, `workload.rounds=${ROUNDS}`],
    metrics: {
      [`k=${k} cumulative reward`]: "workload.cumulativeReward",
      [`k=${k} reward, last 10 rounds`]: "workload.finalReward",
      [`k=${k} clipped token share`]: "workload.compute.clipFraction",
    },
  })),
  answer: (s) => {
    const base = s.all("k=1 cumulative reward");
    const xs = s.all("k=4 cumulative reward").map((v, i) => (v !== null && base[i] ? v / base[i]! : null)).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const q = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.round(p * (xs.length - 1))))];
    const pc = (x: number) => `${x >= 1 ? "+" : ""}${((x - 1) * 100).toFixed(1)}%`;
    return `Cumulative reward over ${ROUNDS} rounds (8 nodes, I/J = 4/4, L = 4, uniform selection, Adam lr 1e-3), same seed paired:
- k = 1 (ratio exactly 1, the clip never binds): ${s.quote("k=1 cumulative reward")}
- k = 4 (4 Adam steps per round on the same rollouts): ${s.quote("k=4 cumulative reward")}, ${pc(q(0.5))} vs k = 1 (P05-P95 ${pc(q(0.05))} to ${pc(q(0.95))}; above k = 1 on ${xs.filter((x) => x > 1).length}/${xs.length} seeds)

Reward over the last 10 rounds: k = 1 ${s.quote("k=1 reward, last 10 rounds")}, k = 4 ${s.quote("k=4 reward, last 10 rounds")}.
Share of advantage-carrying completion tokens whose gradient the clip zeroed (all 4 steps counted, the first always has ratio 1): ${s.quote("k=4 clipped token share")}.
k = 4 also costs 4x the training compute per round in virtual time.`;
  },
};

if (import.meta.main) await spreadMain(question);
