// How does DiLoCo degrade as H (inner steps between syncs) grows? Spread over seeds of
// train-diloco-h-sweep: held-out loss of H = 1, 10, 50, 200 against DDP at equal compute.
//   node_modules/.bin/bun notebooks/dilocoHSweep.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const H = [1, 10, 50, 200];
export const question: SpreadQuestion = {
  slug: "diloco-h-sweep",
  question: "How does DiLoCo's held-out loss degrade as H grows (H = 1, 10, 50, 200 vs DDP)?",
  sweeps: [{
    scenario: "scenarios/train-diloco-h-sweep.yaml",
    metrics: {
      "DDP held-out loss": "workload.ddp.heldOutLoss",
      ...Object.fromEntries(H.map((h) => [`H=${h} / DDP loss`, `workload.h${h}.heldOutLoss / workload.ddp.heldOutLoss`])),
      "H=200 / H=50 loss": "workload.h200.heldOutLoss / workload.h50.heldOutLoss",
      ...Object.fromEntries(H.map((h) => [`DDP / H=${h} bytes`, `workload.ddp.bytesSent / workload.h${h}.bytesSent`])),
      "DDP / H=50 virtual time": "workload.ddp.virtualSeconds / workload.h50.virtualSeconds",
    },
  }],
  answer: (s) => `Held-out loss against DDP: ${H.map((h) => `H=${h} ${s.change(`H=${h} / DDP loss`)}`).join("; ")}.
H=200 ends above H=50 on ${s.seedsWhere("H=200 / H=50 loss", (v) => v > 1)} (${s.change("H=200 / H=50 loss")}). Bytes fall as 1/H (DDP sends ${H.map((h) => `${s.quote(`DDP / H=${h} bytes`, "x")}`).join(", ")} those of H = ${H.join(", ")}); H=50 finishes in 1/${s.quote("DDP / H=50 virtual time")} of DDP's virtual time.`,
};

if (import.meta.main) await spreadMain(question);
