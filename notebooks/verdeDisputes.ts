// Does the honest party always win a Verde dispute, and what does it cost? Spread over seeds of
// verde-adversaries (every adversary kind) and verde-churn (home nodes that churn) at the file's
// 6 h chess clock, at 1 h, and at 1 h with a full checkpoint every step.
//   node_modules/.bin/bun notebooks/verdeDisputes.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const churn = (label: string) => ({
  [`churn ${label}: finished jobs`]: "workload.finishedJobs",
  [`churn ${label}: detection rate`]: "workload.detectionRate",
  [`churn ${label}: honest slashed`]: "workload.honestSlashed",
});

export const question: SpreadQuestion = {
  slug: "verde-disputes",
  question: "Does the honest party always win a Verde dispute, and what does it cost?",
  sweeps: [
    {
      scenario: "scenarios/verde-adversaries.yaml",
      metrics: {
        "adversaries: finished jobs": "workload.finishedJobs",
        "adversaries: detection rate": "workload.detectionRate",
        "adversaries: correct result rate": "workload.correctRate",
        "adversaries: honest slashed": "workload.honestSlashed",
        "adversaries: max referee ops": "workload.refereeOps.max",
        "adversaries: max dispute rounds": "workload.rounds.max",
        "adversaries: mean dispute bytes": "workload.bytes.mean",
        "adversaries: max referee FLOPs / job FLOPs": "workload.refereeFlopsRatio.max",
        "adversaries: median dispute duration (s)": "workload.durationS.p50",
      },
    },
    { scenario: "scenarios/verde-churn.yaml", metrics: { ...churn("6h"), "churn 6h: median dispute duration (s)": "workload.durationS.p50" } },
    { scenario: "scenarios/verde-churn.yaml", sets: ["workload.clock=1h"], metrics: churn("1h") },
    { scenario: "scenarios/verde-churn.yaml", sets: ["workload.clock=1h", "workload.keepEvery=1"], metrics: churn("1h keepEvery 1") },
  ],
  answer: (s) => `Every adversary kind (40 jobs, 80 adversarial providers): detection rate ${s.quote("adversaries: detection rate")}, honest result kept ${s.quote("adversaries: correct result rate")}, honest providers slashed ${s.quote("adversaries: honest slashed")}; the referee recomputes at most ${s.quote("adversaries: max referee ops")} op (at most ${s.quote("adversaries: max referee FLOPs / job FLOPs", "", 2)} of the job's FLOPs) after at most ${s.quote("adversaries: max dispute rounds")} rounds and ${s.quote("adversaries: mean dispute bytes", " B")} per dispute on average.
On churning home nodes (30 jobs, one wrong-op provider each) with a 6 h clock: detection ${s.quote("churn 6h: detection rate")}, honest providers slashed ${s.quote("churn 6h: honest slashed")} of 30 (zero on ${s.seedsWhere("churn 6h: honest slashed", (v) => v === 0)}); with a 1 h clock ${s.quote("churn 1h: honest slashed")} (detection ${s.quote("churn 1h: detection rate")}); with 1 h and a full checkpoint every step ${s.quote("churn 1h keepEvery 1: honest slashed")} (zero on ${s.seedsWhere("churn 1h keepEvery 1: honest slashed", (v) => v === 0)}): re-running from a distant checkpoint, more than churn, costs honest providers their clock.`,
};

if (import.meta.main) await spreadMain(question);
