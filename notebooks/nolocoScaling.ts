// Does NoLoCo's sync step scale better with the number of replicas N than all-reduce? Spread over
// seeds of train-noloco-scaling: mean seconds per sync for ring, tree and NoLoCo pairs.
//   node_modules/.bin/bun notebooks/nolocoScaling.ts [--seeds 16]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const ARMS = ["ring_8", "ring_32", "ring_128", "tree_8", "tree_32", "tree_128", "tree_1000", "noloco_8", "noloco_32", "noloco_128", "noloco_1000"];
export const question: SpreadQuestion = {
  slug: "noloco-scaling",
  question: "Does NoLoCo's sync step scale better with the number of replicas than all-reduce?",
  sweeps: [{
    scenario: "scenarios/train-noloco-scaling.yaml",
    metrics: {
      ...Object.fromEntries(ARMS.map((a) => [`${a} sync (s)`, `workload.${a}.meanSyncSeconds`])),
      "ring sync 128 / 8": "workload.ring_128.meanSyncSeconds / workload.ring_8.meanSyncSeconds",
      "tree sync 128 / 8": "workload.tree_128.meanSyncSeconds / workload.tree_8.meanSyncSeconds",
      "tree sync 1000 / 128": "workload.tree_1000.meanSyncSeconds / workload.tree_128.meanSyncSeconds",
      "tree / NoLoCo sync at 1000": "workload.tree_1000.meanSyncSeconds / workload.noloco_1000.meanSyncSeconds",
      "NoLoCo sync 1000 / 8": "workload.noloco_1000.meanSyncSeconds / workload.noloco_8.meanSyncSeconds",
    },
  }],
  answer: (s) => `Mean seconds per sync, N = 8 / 32 / 128 / 1000:
- ring all-reduce: ${["8", "32", "128"].map((n) => s.quote(`ring_${n} sync (s)`)).join(" / ")} / (not run at 1000)
- tree all-reduce: ${["8", "32", "128", "1000"].map((n) => s.quote(`tree_${n} sync (s)`)).join(" / ")}
- NoLoCo pairs: ${["8", "32", "128", "1000"].map((n) => s.quote(`noloco_${n} sync (s)`)).join(" / ")}

From 8 to 128 replicas ring all-reduce grows ${s.quote("ring sync 128 / 8", "x")} (linear in N: 2(N-1) latency-bound hops) and tree ${s.quote("tree sync 128 / 8", "x")} (log N levels; ${s.quote("tree sync 1000 / 128", "x")} more from 128 to 1,000).
NoLoCo's sync at 1,000 replicas is ${s.quote("NoLoCo sync 1000 / 8", "x")} its time at 8; tree all-reduce at 1,000 takes ${s.quote("tree / NoLoCo sync at 1000", "x")} NoLoCo's (REFERENCE §10: ~10x).`,
};

if (import.meta.main) await spreadMain(question);
