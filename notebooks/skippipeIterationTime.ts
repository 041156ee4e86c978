// Is iteration time ordered DT-FM > DT-FM-skip > SkipPipe > collision-aware SkipPipe on the
// reference scheduler's 20-node setting (REFERENCE §6, §10 claim 3)? skippipe-20 over seeds (the
// seed draws the world's regions and links, compute jitter, the GA and the paths), side by side
// with the reference's own simulation: 79.9 / 48.9 / 35.4 / 33.3 s.
//   node_modules/.bin/bun notebooks/skippipeIterationTime.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const W = "workload";
export const question: SpreadQuestion = {
  slug: "skippipe-iteration-time",
  question: "On 20 nodes in 6 stages [5,3,3,3,3,3] with 4-of-6 paths, how much faster is a SkipPipe iteration than DT-FM's full pipeline?",
  seeds: 8,
  sweeps: [
    {
      scenario: "scenarios/skippipe-20.yaml",
      metrics: {
        "DT-FM iteration (s)": `${W}.dtfm.iterationSeconds`,
        "DT-FM-skip iteration (s)": `${W}.dtfmSkip.iterationSeconds`,
        "SkipPipe iteration (s)": `${W}.skippipe.iterationSeconds`,
        "SkipPipe CA iteration (s)": `${W}.skippipeCa.iterationSeconds`,
        "SkipPipe CA / DT-FM": `${W}.skippipeCa.iterationSeconds / ${W}.dtfm.iterationSeconds`,
        "SkipPipe CA / DT-FM-skip": `${W}.skippipeCa.iterationSeconds / ${W}.dtfmSkip.iterationSeconds`,
        "SkipPipe CA / SkipPipe": `${W}.skippipeCa.iterationSeconds / ${W}.skippipe.iterationSeconds`,
        "SkipPipe / DT-FM-skip": `${W}.skippipe.iterationSeconds / ${W}.dtfmSkip.iterationSeconds`,
        "DT-FM-skip / DT-FM": `${W}.dtfmSkip.iterationSeconds / ${W}.dtfm.iterationSeconds`,
        "per-stage all-reduce after an iteration (s)": `${W}.skippipeCa.syncSeconds`,
        "microbatches lost": `${W}.dtfm.microbatchesLost + ${W}.dtfmSkip.microbatchesLost + ${W}.skippipe.microbatchesLost + ${W}.skippipeCa.microbatchesLost`,
      },
    },
  ],
  answer: (s) => `Iteration time (last backward at a stage-0 node; the per-stage all-reduce after it, ${s.quote("per-stage all-reduce after an iteration (s)", " s")}, not included), ours vs the reference scheduler's simulation:

| scheme | ours (median, P05-P95) | reference |
| --- | --- | --- |
| DT-FM | ${s.quote("DT-FM iteration (s)", " s")} | 79.9 s |
| DT-FM-skip | ${s.quote("DT-FM-skip iteration (s)", " s")} | 48.9 s |
| SkipPipe, no collision awareness | ${s.quote("SkipPipe iteration (s)", " s")} | 35.4 s |
| SkipPipe, collision-aware | ${s.quote("SkipPipe CA iteration (s)", " s")} | 33.3 s |

Collision-aware SkipPipe vs DT-FM: ${s.change("SkipPipe CA / DT-FM")} (reference -58%); vs DT-FM-skip: ${s.change("SkipPipe CA / DT-FM-skip")} (reference -32%).
DT-FM-skip vs DT-FM: ${s.change("DT-FM-skip / DT-FM")}; SkipPipe's scheduled paths vs random skips: ${s.change("SkipPipe / DT-FM-skip")}.
Collision awareness vs none: ${s.change("SkipPipe CA / SkipPipe")}, faster on ${s.seedsWhere("SkipPipe CA / SkipPipe", (v) => v < 1)}.
Microbatches lost: ${s.quote("microbatches lost")}.`,
};

if (import.meta.main) await spreadMain(question);
