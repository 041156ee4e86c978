// The `inference` workload kind as scenarios name it (core/inference): forward-only jobs on the
// protocol loop, on the embedded ledger or settled on anvil (settledEntry.ts).
import { inferenceSchema, type InferenceParams } from "../../core/inference/inferenceParams.ts";
import { startInference } from "../../core/inference/inferenceWorkload.ts";
import type { WorkloadEntry } from "../scenario/workloads/entry.ts";
import { settledWorkload } from "./settledEntry.ts";

export const inferenceEntry: WorkloadEntry<InferenceParams> = {
  schema: inferenceSchema,
  workload: settledWorkload("inference", (p) => p.blockTimeS, startInference),
};
