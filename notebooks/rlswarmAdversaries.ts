// Poisoners and free-riders (REFERENCE §10 claim 4): how much of a SAPO swarm's reward survives
// when 10% or 30% of its nodes poison (wrong gold answers) or free-ride (consume, never publish),
// and which external-selection rule holds up best against 30% poisoners? rlswarm-sapo with 10
// nodes, I/J = 4/4, L = 4, 100 rounds, the adversary parameters' defaults; reward of the honest nodes.
//   node_modules/.bin/bun notebooks/rlswarmAdversaries.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const ROUNDS = 100;
const ARMS: { label: string; selection: string; adversary: string | null; fraction: number }[] = [
  { label: "clean", selection: "uniform", adversary: null, fraction: 0 },
  { label: "poison 10%", selection: "uniform", adversary: "poisoner", fraction: 0.1 },
  { label: "poison 30%", selection: "uniform", adversary: "poisoner", fraction: 0.3 },
  { label: "free-ride 10%", selection: "uniform", adversary: "free-rider", fraction: 0.1 },
  { label: "free-ride 30%", selection: "uniform", adversary: "free-rider", fraction: 0.3 },
  { label: "poison 30% first-valid", selection: "first-valid", adversary: "poisoner", fraction: 0.3 },
  { label: "poison 30% reward-sorted", selection: "reward-sorted", adversary: "poisoner", fraction: 0.3 },
];

export const question: SpreadQuestion = {
  slug: "rlswarm-adversaries",
  question: "SAPO with bad actors: how much honest reward survives 10% / 30% poisoners or free-riders, and which selection rule holds up best?",
  seeds: 8,
  sweeps: ARMS.map((a) => ({
    scenario: "scenarios/rlswarm-sapo.yaml",
    sets: [
      "nodes.0.count=10", "workload.I=4", "workload.J=4", `workload.rounds=${ROUNDS}`, `workload.selection=${a.selection}`,
      `workload.adversaries=${a.adversary ? `[{kind: ${a.adversary}, fraction: ${a.fraction}}]` : "[]"}`,
    ],
    metrics: {
      [`${a.label} honest cumulative reward`]: "workload.cumulativeReward",
      [`${a.label} external groups per round`]: "workload.externalPerRound",
    },
  })),
  answer: (s) => {
    const base = s.all("clean honest cumulative reward");
    const vs = (label: string) => {
      const xs = s.all(`${label} honest cumulative reward`).map((v, i) => (v !== null && base[i] ? v / base[i]! : null)).filter((v): v is number => v !== null).sort((a, b) => a - b);
      const q = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.round(p * (xs.length - 1))))];
      const pc = (x: number) => `${x >= 1 ? "+" : ""}${((x - 1) * 100).toFixed(1)}%`;
      return `${pc(q(0.5))} (P05-P95 ${pc(q(0.05))} to ${pc(q(0.95))}; below clean on ${xs.filter((x) => x < 1).length}/${xs.length} seeds)`;
    };
    const lines = ARMS.slice(1).map((a) => `- ${a.label} (${a.selection}): ${s.quote(`${a.label} honest cumulative reward`)}, ${vs(a.label)} vs clean; ${s.quote(`${a.label} external groups per round`)} external groups per round`);
    return `Honest nodes' cumulative reward over ${ROUNDS} rounds (10 nodes, I/J = 4/4, L = 4), same seed paired with the clean swarm:
- clean (uniform): ${s.quote("clean honest cumulative reward")}
${lines.join("\n")}

Read with rlswarm-sapo's answer: at this model size sharing itself (4/4 vs 8/0) is inside seed noise, so "how much of the gain survives" has little gain to lose; what this shows is whether bad actors push honest reward below the clean swarm's.
Caveat: the adversaries are drawn among the 10 nodes per seed, so the honest set (and its mix of specialties, which differ in difficulty) is not the clean swarm's 10 nodes; differences of a few percent are within that confound, the -31% of 30% uniform-selected poisoners is not.`;
  },
};

if (import.meta.main) await spreadMain(question);
