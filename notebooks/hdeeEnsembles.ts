// Heterogeneous vs homogeneous expert ensembles at equal training compute (REFERENCE §8, §10
// claim 5). Spread over seeds of train-hdee.
//   node_modules/.bin/bun notebooks/hdeeEnsembles.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const over = (a: string, m: string) => `workload.${a}.${m} / workload.homogeneous.${m}`;
export const question: SpreadQuestion = {
  slug: "hdee-ensembles",
  question: "At equal compute, does a heterogeneous expert ensemble beat a homogeneous one?",
  sweeps: [{
    scenario: "scenarios/train-hdee.yaml",
    metrics: {
      "homogeneous ensemble loss": "workload.homogeneous.heldOutLoss",
      "hetero iterations / homogeneous loss": over("hetero_iterations", "heldOutLoss"),
      "hetero size / homogeneous loss": over("hetero_size", "heldOutLoss"),
      "hetero iterations / homogeneous wall time": over("hetero_iterations", "virtualSeconds"),
      "hetero size / homogeneous wall time": over("hetero_size", "virtualSeconds"),
    },
  }],
  answer: (s) => `More iterations for harder domains: ${s.change("hetero iterations / homogeneous loss")} mean ensemble loss against the homogeneous ensemble (better on ${s.seedsWhere("hetero iterations / homogeneous loss", (v) => v < 1)}), at ${s.quote("hetero iterations / homogeneous wall time", "x")} its wall time (the largest expert bounds it).
Bigger models for harder domains: ${s.change("hetero size / homogeneous loss")} (better on ${s.seedsWhere("hetero size / homogeneous loss", (v) => v < 1)}), at ${s.quote("hetero size / homogeneous wall time", "x")} the wall time.`,
};

if (import.meta.main) await spreadMain(question);
