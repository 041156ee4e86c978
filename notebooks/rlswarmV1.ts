// RL Swarm v1 (REFERENCE §7, `stages: 3`): does seeing the peers' answers make a node's final
// (resolve) answer better than its own first (answer-stage) answer? rlswarm-v1 (I = 4 shared
// questions, L = 4, 60 rounds) with 8 nodes against 1 node (alone, the only answer shown is its
// own), over seeds: the per-stage mean reward of the honest nodes, and the resolve - answer gap.
//   node_modules/.bin/bun notebooks/rlswarmV1.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const SIZES = [8, 1] as const;
const ROUNDS = 60;

export const question: SpreadQuestion = {
  slug: "rlswarm-v1",
  question: "RL Swarm v1 (answer, critique, resolve): is the final answer given the peers' answers better than the node's own first answer, and does it need the peers?",
  seeds: 8,
  sweeps: SIZES.map((n) => ({
    scenario: "scenarios/rlswarm-v1.yaml",
    sets: [`nodes.0.count=${n}`, `workload.rounds=${ROUNDS}`],
    metrics: {
      [`${n} nodes answer-stage reward`]: "workload.stageReward.answer",
      [`${n} nodes critique-stage reward`]: "workload.stageReward.critique",
      [`${n} nodes resolve-stage reward`]: "workload.stageReward.resolve",
      [`${n} nodes resolve reward, last 10 rounds`]: "workload.finalReward",
    },
  })),
  answer: (s) => {
    const gap = (n: number) => {
      const a = s.all(`${n} nodes answer-stage reward`);
      const xs = s.all(`${n} nodes resolve-stage reward`).map((v, i) => (v !== null && a[i] !== null ? v - a[i]! : null)).filter((v): v is number => v !== null).sort((x, y) => x - y);
      const q = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.round(p * (xs.length - 1))))];
      const f = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(3)}`;
      return `${f(q(0.5))} (P05-P95 ${f(q(0.05))} to ${f(q(0.95))}; above 0 on ${xs.filter((x) => x > 0).length}/${xs.length} seeds)`;
    };
    return `Mean reward per completion over ${ROUNDS} rounds (I = 4 shared questions, L = 4; reward 0/1, 0.5 for an unreduced fraction):
- 8 nodes: answer ${s.quote("8 nodes answer-stage reward")}, critique ${s.quote("8 nodes critique-stage reward")}, resolve ${s.quote("8 nodes resolve-stage reward")}; resolve - answer ${gap(8)}
- 1 node (alone: the only answer shown is its own): answer ${s.quote("1 nodes answer-stage reward")}, critique ${s.quote("1 nodes critique-stage reward")}, resolve ${s.quote("1 nodes resolve-stage reward")}; resolve - answer ${gap(1)}

Resolve reward over the last 10 rounds: 8 nodes ${s.quote("8 nodes resolve reward, last 10 rounds")}, 1 node ${s.quote("1 nodes resolve reward, last 10 rounds")}.
The shown answers are each peer's best completion (by its own reward) of the 3 peers with the highest self-reported stage-0 reward, so with peers they are usually right even where a node's own sampled completions are not; the critique stage scores the quality of the picked answer ("none" scores only when all shown are wrong). The base model was warm-started on the formats (uniform indices, uniform copies), not the skill.`;
  },
};

if (import.meta.main) await spreadMain(question);
