// Does SkipPipe training keep up with the full pipeline at equal iterations, what does inference
// with half (or 5 of 6) of the stages cost, and what does churn cost (REFERENCE §6, §10 claim 3)?
// skippipe-train and skippipe-churn at 10% and 20% of nodes churning, over seeds.
//   node_modules/.bin/bun notebooks/skippipeTraining.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const W = "workload";
const T = `${W}.training`;
const churn = (pct: string) => ({
  [`${pct} churn: iteration (s)`]: `${W}.skippipeCa.iterationSeconds`,
  [`${pct} churn: microbatches lost`]: `${W}.skippipeCa.microbatchesLost`,
  [`${pct} churn: microbatches trained / 1200`]: `${T}.microbatchesTrained / 1200`,
  [`${pct} churn: SkipPipe / full held-out loss`]: `${T}.skippipe.heldOutLoss / ${T}.full.heldOutLoss`,
});
export const question: SpreadQuestion = {
  slug: "skippipe-training",
  question: "Does SkipPipe training match the full pipeline at equal iterations, what does running half the stages cost, and what does churn cost?",
  seeds: 8,
  sweeps: [
    {
      scenario: "scenarios/skippipe-train.yaml",
      metrics: {
        "SkipPipe / full held-out loss": `${T}.skippipe.heldOutLoss / ${T}.full.heldOutLoss`,
        "SkipPipe-trained: perplexity at 3 of 6 stages / all": `${T}.skippipe.partial.p50.perplexity / ${T}.skippipe.perplexity`,
        "full-trained: perplexity at 3 of 6 stages / all": `${T}.full.partial.p50.perplexity / ${T}.full.perplexity`,
        "SkipPipe-trained: perplexity at 5 of 6 stages / all": `${T}.skippipe.partial.p75.perplexity / ${T}.skippipe.perplexity`,
        "full-trained: perplexity at 5 of 6 stages / all": `${T}.full.partial.p75.perplexity / ${T}.full.perplexity`,
        "0% churn: iteration (s)": `${W}.skippipeCa.iterationSeconds`,
      },
    },
    { scenario: "scenarios/skippipe-churn.yaml", sets: ["churn.fraction=0.1"], metrics: churn("10%") },
    { scenario: "scenarios/skippipe-churn.yaml", sets: ["churn.fraction=0.2"], metrics: churn("20%") },
  ],
  answer: (s) => `After 40 iterations of 30 microbatches on the proxy transformer (6 stages of one layer), SkipPipe's held-out loss vs the full pipeline on the same data: ${s.change("SkipPipe / full held-out loss")} (paper: no loss in convergence).
Inference with 3 of 6 stages (stage 0 kept, mean over the subsets): SkipPipe-trained ${s.change("SkipPipe-trained: perplexity at 3 of 6 stages / all")}, full-pipeline-trained ${s.change("full-trained: perplexity at 3 of 6 stages / all")} (paper: ~+7% at half the model). With 5 of 6: ${s.change("SkipPipe-trained: perplexity at 5 of 6 stages / all")} vs ${s.change("full-trained: perplexity at 5 of 6 stages / all")}.
Churn (collision-aware SkipPipe, exponential up 10 min / down 3 min): iteration ${s.quote("0% churn: iteration (s)", " s")} without, ${s.quote("10% churn: iteration (s)", " s")} at 10%, ${s.quote("20% churn: iteration (s)", " s")} at 20% (shorter: after a re-plan over fewer nodes, memory caps the visits and fewer microbatches run); microbatches lost ${s.quote("10% churn: microbatches lost")} / ${s.quote("20% churn: microbatches lost")} of 1,200; share trained ${s.quote("10% churn: microbatches trained / 1200")} / ${s.quote("20% churn: microbatches trained / 1200")}; held-out loss vs the full pipeline (which never loses a microbatch) ${s.change("10% churn: SkipPipe / full held-out loss")} / ${s.change("20% churn: SkipPipe / full held-out loss")}.`,
};

if (import.meta.main) await spreadMain(question);
