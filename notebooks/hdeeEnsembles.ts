// Heterogeneous vs homogeneous expert ensembles at equal compute (REFERENCE §8, §10 claim 5), with
// the reference's seed phase, under each ensemble method of core/train/hdeeEnsemble.ts. Spread
// over seeds of train-hdee.
//   node_modules/.bin/bun notebooks/hdeeEnsembles.ts [--seeds 16] [--workers 1]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const METHODS = { cachedPrior: "cached prior", uniformPrior: "uniform prior", logAverage: "log-average", validationSoftmax: "validation softmax" } as const;
const over = (a: string, m: string, b = "homogeneous") => `workload.${a}.${m} / workload.${b}.${m}`;
const metrics: Record<string, string> = { "homogeneous ensemble loss (cached prior)": "workload.homogeneous.heldOutLoss" };
for (const [key, label] of Object.entries(METHODS)) {
  metrics[`hetero iterations / homogeneous, ${label}`] = over("hetero_iterations", `ensembleLosses.${key}`);
  metrics[`hetero size / homogeneous, ${label}`] = over("hetero_size", `ensembleLosses.${key}`);
}
Object.assign(metrics, {
  "seed phase: homogeneous / random-init loss": over("homogeneous", "heldOutLoss", "homogeneous_random_init"),
  "reference expert lr (a tenth): loss / homogeneous": over("homogeneous_tenth_lr", "heldOutLoss"),
  "seed of 1,000 steps: loss / homogeneous (10,000)": over("homogeneous_short_seed", "heldOutLoss"),
  "log-average / cached prior, homogeneous": "workload.homogeneous.ensembleLosses.logAverage / workload.homogeneous.ensembleLosses.cachedPrior",
  "uniform prior / cached prior, homogeneous": "workload.homogeneous.ensembleLosses.uniformPrior / workload.homogeneous.ensembleLosses.cachedPrior",
  "validation softmax / cached prior, homogeneous": "workload.homogeneous.ensembleLosses.validationSoftmax / workload.homogeneous.ensembleLosses.cachedPrior",
  "hetero iterations / homogeneous wall time": over("hetero_iterations", "virtualSeconds"),
  "hetero size / homogeneous wall time": over("hetero_size", "virtualSeconds"),
});

export const question: SpreadQuestion = {
  slug: "hdee-ensembles",
  question: "At equal compute, with experts branched from a seed model, does a heterogeneous expert ensemble beat a homogeneous one, and under which ensemble method?",
  sweeps: [{ scenario: "scenarios/train-hdee.yaml", metrics }],
  answer: (s) => {
    const row = (label: string) => {
      const it = `hetero iterations / homogeneous, ${label}`;
      const sz = `hetero size / homogeneous, ${label}`;
      return `| ${label} | ${s.change(it)} (better on ${s.seedsWhere(it, (v) => v < 1)}) | ${s.change(sz)} (better on ${s.seedsWhere(sz, (v) => v < 1)}) |`;
    };
    return `Experts branch from a seed model trained 10,000 steps on the mixture of all domains (gensyn-ai/hdee's seed phase, 33x an expert's 300 steps as the reference's 20,000 per 600). Ensemble loss of each heterogeneous ensemble against the homogeneous one at equal expert training FLOPs, by ensemble method (cached prior is the reference's posterior and heldOutLoss):

| ensemble method | more iterations for harder domains | bigger models for harder domains |
| --- | --- | --- |
${Object.values(METHODS).map(row).join("\n")}

The seed phase itself: homogeneous ensemble loss ${s.change("seed phase: homogeneous / random-init loss")} against the same ensemble of experts from random weights.
A seed of 1,000 steps instead: ${s.change("seed of 1,000 steps: loss / homogeneous (10,000)")} ensemble loss (homogeneous).
Experts at the reference's expert optimizer (a tenth of the seed's lr, cosine to half of it) instead of the seed's: ${s.change("reference expert lr (a tenth): loss / homogeneous")} ensemble loss (homogeneous).
Ensemble methods on the homogeneous experts, against the cached prior: log-average ${s.change("log-average / cached prior, homogeneous")}, uniform prior ${s.change("uniform prior / cached prior, homogeneous")}, validation softmax ${s.change("validation softmax / cached prior, homogeneous", 2)}.
Wall time against the homogeneous arm (seed phase included): iterations ${s.quote("hetero iterations / homogeneous wall time", "x")}, size ${s.quote("hetero size / homogeneous wall time", "x")}.`;
  },
};

if (import.meta.main) await spreadMain(question);
