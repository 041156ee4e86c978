// Does a job market on real traces catch every lie, and does sampling re-execution catch what the
// analytic rate predicts? market-basic (full replication, 15% lying solvers, 3% lying verifiers)
// market-sampled (each honest verifier re-executes with probability 0.5) and market-mixed-kernels
// (home GPUs on their own kernels) over seeds.
//   node_modules/.bin/bun notebooks/marketRealTraces.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const W = "workload";
const common = (label: string) => ({
  [`${label}: lies committed`]: `${W}.lies.committed`,
  [`${label}: catch rate`]: `${W}.lies.catchRate`,
  [`${label}: honest parties that lost a dispute`]: `${W}.disputes.honestLost`,
  [`${label}: honest agents slashed`]: `${W}.honestSlashed`,
  [`${label}: disputes`]: `${W}.disputes.count`,
  [`${label}: disputes where Verde and the chain differ (step, node)`]: `${W}.disputes.count - ${W}.disputes.crossCheck.sameStepAndNode`,
  [`${label}: max referee ops per ruling`]: `${W}.disputes.refereeOps.max`,
});

export const question: SpreadQuestion = {
  slug: "market-real-traces",
  question: "Does a job market on real traces catch every lie, and does sampled re-execution catch what 1-(1-f)^v predicts?",
  seeds: 8,
  sweeps: [
    { scenario: "scenarios/market-basic.yaml", metrics: { ...common("full replication"), "full replication: false challenges": `${W}.disputes.falseChallenges` } },
    { scenario: "scenarios/market-sampled.yaml", metrics: { ...common("f=0.5"), "f=0.5: expected catch rate": `${W}.lies.expectedCatchRate`, "f=0.5: catch rate - expected": `${W}.lies.catchRate - ${W}.lies.expectedCatchRate` } },
    { scenario: "scenarios/market-mixed-kernels.yaml", metrics: { ...common("mixed kernels"), "mixed kernels: lies paid": `${W}.lies.missed` } },
  ],
  answer: (s) => `Full replication (market-basic, 300 jobs): catch rate ${s.quote("full replication: catch rate")} of ${s.quote("full replication: lies committed")} wrong results; ${s.quote("full replication: disputes")} disputes (${s.quote("full replication: false challenges")} raised by lying verifiers), each ruled by recomputing at most ${s.quote("full replication: max referee ops per ruling")} op; Verde's off-chain referee and the on-chain game end at a different step or node in ${s.quote("full replication: disputes where Verde and the chain differ (step, node)")} disputes; honest parties that lost ${s.quote("full replication: honest parties that lost a dispute")}, honest agents slashed ${s.quote("full replication: honest agents slashed")}.
Each honest verifier re-executing with probability 0.5 (market-sampled, 2 verifiers): catch rate ${s.quote("f=0.5: catch rate")} against 1-(1-f)^2 = ${s.quote("f=0.5: expected catch rate")} (difference ${s.quote("f=0.5: catch rate - expected")}); honest parties that lost ${s.quote("f=0.5: honest parties that lost a dispute")}.
Home GPUs on their own kernels (market-mixed-kernels: RTX 4090 repops-fma, RTX 3090 tfjs-cpu, the rest RepOps; full replication): honest parties that lost a dispute ${s.quote("mixed kernels: honest parties that lost a dispute")} and honest agents slashed ${s.quote("mixed kernels: honest agents slashed")} per run, and a lie can get paid when the only re-execution that disagrees runs off RepOps and meets its own rounding first: catch rate ${s.quote("mixed kernels: catch rate")}, ${s.quote("mixed kernels: lies paid")} lies paid.`,
};

if (import.meta.main) await spreadMain(question);
