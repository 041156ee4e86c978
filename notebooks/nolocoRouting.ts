// What does NoLoCo's random routing do to replica drift and loss? Spread over seeds of
// train-noloco-routing: NoLoCo pairs with the proxy split into two pipeline stages (hidden layer,
// head), activations routed fixed (each replica's own stages) or at random per step and example as
// gensyn-ai/noloco routes them (REFERENCE §5). Drift = mean pairwise L2 distance between the
// replicas' slow weights after the last outer step (whole replica, and each stage's part), and
// gensyn-ai/noloco's own measure, the RMS distance of every weight to the replicas' mean. The iid
// ratios are over the scenario's 3 replicates summed; the non-iid ones over its one replicate.
//   node_modules/.bin/bun notebooks/nolocoRouting.ts [--seeds 8]
import { spreadMain, type SpreadQuestion } from "./seedSpread.ts";

const sum = (arm: string, field: string) => `(workload.${arm}_1.${field} + workload.${arm}_2.${field} + workload.${arm}_3.${field})`;
const iid = (field: string) => `${sum("random", field)} / ${sum("fixed", field)}`;
const nonIid = (field: string) => `workload.nrandom_1.${field} / workload.nfixed_1.${field}`;

export const question: SpreadQuestion = {
  slug: "noloco-routing",
  question: "What does NoLoCo's random routing between pipeline-stage replicas do to replica drift and loss?",
  seeds: 8,
  sweeps: [{
    scenario: "scenarios/train-noloco-routing.yaml",
    metrics: {
      "iid random / fixed held-out loss": iid("heldOutLoss"),
      "iid random / fixed replica held-out loss": iid("replicaHeldOutLoss"),
      "iid random / fixed drift": iid("replicaDrift"),
      "iid random / fixed weight std (the reference's measure)": iid("replicaWeightStd"),
      "iid random / fixed drift, stage 0 (hidden layer)": iid("replicaDriftStages[0]"),
      "iid random / fixed drift, stage 1 (head)": iid("replicaDriftStages[1]"),
      "iid fixed drift": `${sum("fixed", "replicaDrift")} / 3`,
      "non-iid random / fixed held-out loss": nonIid("heldOutLoss"),
      "non-iid random / fixed replica held-out loss": nonIid("replicaHeldOutLoss"),
      "non-iid random / fixed drift": nonIid("replicaDrift"),
      "non-iid random / fixed weight std (the reference's measure)": nonIid("replicaWeightStd"),
      "non-iid random / fixed drift, stage 0 (hidden layer)": nonIid("replicaDriftStages[0]"),
      "non-iid random / fixed drift, stage 1 (head)": nonIid("replicaDriftStages[1]"),
      "non-iid fixed drift": "workload.nfixed_1.replicaDrift",
      "iid fixed: replicas' own / consensus loss": `${sum("fixed", "replicaHeldOutLoss")} / ${sum("fixed", "heldOutLoss")}`,
      "non-iid fixed: replicas' own / consensus loss": "workload.nfixed_1.replicaHeldOutLoss / workload.nfixed_1.heldOutLoss",
      "random / fixed virtual time": "workload.random_1.virtualSeconds / workload.fixed_1.virtualSeconds",
      "examples routed to another replica's head": "workload.random_1.routedShare",
    },
  }],
  answer: (s) => `iid shards: random routing ends ${s.change("iid random / fixed held-out loss", 2)} held-out loss against fixed routing (lower on ${s.seedsWhere("iid random / fixed held-out loss", (v) => v < 1)}); the replicas' own slow weights ${s.change("iid random / fixed replica held-out loss", 2)}. Drift between replicas ${s.change("iid random / fixed drift")} (weight std, gensyn-ai/noloco's measure, ${s.change("iid random / fixed weight std (the reference's measure)")}; hidden layer ${s.change("iid random / fixed drift, stage 0 (hidden layer)")}, head ${s.change("iid random / fixed drift, stage 1 (head)")}).
Label-skewed shards (Dirichlet 0.1): ${s.change("non-iid random / fixed held-out loss")} held-out loss (lower on ${s.seedsWhere("non-iid random / fixed held-out loss", (v) => v < 1)}), the replicas' own weights ${s.change("non-iid random / fixed replica held-out loss")}; drift ${s.change("non-iid random / fixed drift")} (weight std ${s.change("non-iid random / fixed weight std (the reference's measure)")}; hidden layer ${s.change("non-iid random / fixed drift, stage 0 (hidden layer)")}, head ${s.change("non-iid random / fixed drift, stage 1 (head)")}).
${s.quote("examples routed to another replica's head")} of the examples crossed to another replica's head; the lockstep rounds take ${s.quote("random / fixed virtual time", "x")} fixed routing's virtual time (activation transfers not modelled).
How the loss is measured matters under fixed routing: the replicas' own weights (gensyn-ai/noloco evaluates each replica and averages) are ${s.change("iid fixed: replicas' own / consensus loss", 2)} against the mean of their slow weights (heldOutLoss here) with iid shards, ${s.change("non-iid fixed: replicas' own / consensus loss")} with label-skewed ones.`,
};

if (import.meta.main) await spreadMain(question);
