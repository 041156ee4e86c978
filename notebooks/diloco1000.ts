// Does DiLoCo still train with 1,000 workers (half datacenter H100s, half home RTX 4090s), and what
// does one sync cost at that scale? Spread over seeds of train-diloco-1000.
//   node_modules/.bin/bun notebooks/diloco1000.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

export const question: SpreadQuestion = {
  slug: "diloco-1000",
  question: "Does DiLoCo train with 1,000 workers, and what does a sync cost at that scale?",
  sweeps: [{
    scenario: "scenarios/train-diloco-1000.yaml",
    metrics: {
      "initial held-out loss": "workload.initialHeldOutLoss",
      "final held-out loss": "workload.heldOutLoss",
      "final / initial loss": "workload.heldOutLoss / workload.initialHeldOutLoss",
      "held-out accuracy": "workload.heldOutAccuracy",
      "tree all-reduce sync (s)": "workload.meanSyncSeconds",
      "virtual time (s)": "workload.virtualSeconds",
      "compute utilisation": "workload.computeUtilisation",
    },
  }],
  answer: (s) => `In 5 outer rounds (H=20, 100 inner steps) the 1,000 workers take the held-out loss from ${s.quote("initial held-out loss")} to ${s.quote("final held-out loss")}, a change of ${s.change("final / initial loss")}, at held-out accuracy ${s.quote("held-out accuracy")}.
A tree all-reduce of the 100 MB pseudo-gradient over 1,000 nodes takes ${s.quote("tree all-reduce sync (s)", " s")}; the whole run ${s.quote("virtual time (s)", " s")} of virtual time, so the GPUs compute ${s.quote("compute utilisation")} of it.
Wall time is not a simulated quantity: bench/train.ts measures it (1,000 workers x 100 steps in seconds on 2 cores).`,
};

if (import.meta.main) await spreadMain(question);
