// Do the NoLoCo-vs-DiLoCo findings move under gensyn-ai/noloco's own settings (its inner optimizer:
// Adam lr 6e-4, cosine warmup, clip 1.0; its configs' H: 50 for NoLoCo, 100 for DiLoCo)? Spread
// over seeds of train-noloco-reference-settings: NoLoCo pairs against the reference code's DiLoCo
// baseline (heavy-ball 0.7 / 0.3) under the project's default inner AdamW at H = 50, under the
// reference's inner optimizer at H = 50, and under it with DiLoCo at H = 100 (REFERENCE §5).
//   node_modules/.bin/bun notebooks/nolocoReferenceSettings.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const ratio = (a: string, b: string) => `workload.${a}.heldOutLoss / workload.${b}.heldOutLoss`;

export const question: SpreadQuestion = {
  slug: "noloco-reference-settings",
  question: "Does NoLoCo against gensyn-ai/noloco's DiLoCo baseline move under the reference code's inner optimizer and its configs' H?",
  seeds: 8,
  sweeps: [{
    scenario: "scenarios/train-noloco-reference-settings.yaml",
    metrics: {
      "NoLoCo / reference DiLoCo, default inner, H=50": ratio("noloco", "dref"),
      "NoLoCo / reference DiLoCo, reference inner, H=50": ratio("noloco_ri", "dref_ri"),
      "NoLoCo H=50 / reference DiLoCo H=100, reference inner": ratio("noloco_ri", "dref_ri100"),
      "NoLoCo reference inner / default inner, H=50": ratio("noloco_ri", "noloco"),
      "reference DiLoCo H=100 / H=50, reference inner": ratio("dref_ri100", "dref_ri"),
      "reference DiLoCo reference inner / default inner, H=50": ratio("dref_ri", "dref"),
      "NoLoCo H=50 / reference DiLoCo H=100 virtual time": "workload.noloco_ri.virtualSeconds / workload.dref_ri100.virtualSeconds",
    },
  }],
  answer: (s) => `NoLoCo against gensyn-ai/noloco's DiLoCo baseline (heavy-ball 0.7 / 0.3): with this project's default inner AdamW at H = 50 ${s.change("NoLoCo / reference DiLoCo, default inner, H=50")} (ahead on ${s.seedsWhere("NoLoCo / reference DiLoCo, default inner, H=50", (v) => v < 1)}); with the reference's inner optimizer (Adam 6e-4, cosine, clip 1.0) at H = 50 ${s.change("NoLoCo / reference DiLoCo, reference inner, H=50")} (ahead on ${s.seedsWhere("NoLoCo / reference DiLoCo, reference inner, H=50", (v) => v < 1)}); with it and the reference configs' H (NoLoCo 50, DiLoCo 100) ${s.change("NoLoCo H=50 / reference DiLoCo H=100, reference inner")} (ahead on ${s.seedsWhere("NoLoCo H=50 / reference DiLoCo H=100, reference inner", (v) => v < 1)}).
The reference's inner optimizer against the default over the same 1,000 steps: NoLoCo ${s.change("NoLoCo reference inner / default inner, H=50")}, the reference DiLoCo ${s.change("reference DiLoCo reference inner / default inner, H=50")}; that DiLoCo at H = 100 ${s.change("reference DiLoCo H=100 / H=50, reference inner")} against H = 50. NoLoCo at H = 50 takes ${s.quote("NoLoCo H=50 / reference DiLoCo H=100 virtual time", "x")} the virtual time of the DiLoCo at H = 100.`,
};

if (import.meta.main) await spreadMain(question);
