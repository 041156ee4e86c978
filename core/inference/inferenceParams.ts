// The `inference` workload's parameters: a stream of inference / evaluation jobs on the protocol
// loop (REFERENCE §1, §3), some served by adversaries, each re-executed with a sampling rate.
import { z } from "zod";
import { INFERENCE_TASKS } from "./inferenceJob.ts";

export const INFERENCE_SOLVER_KINDS = ["honest", "lazy", "cached", "wrong-op", "repops-fma"] as const;

export const inferenceSchema = z.strictObject({
  jobs: z.number().int().positive().default(12),
  /** Seconds between job submissions. */
  everyS: z.number().positive().default(60),
  task: z.enum(INFERENCE_TASKS).default("sample"),
  chunks: z.number().int().min(2).default(6),
  batch: z.number().int().positive().default(4),
  hidden: z.array(z.number().int().positive()).default([16]),
  classes: z.number().int().min(2).default(4),
  /** Weights of each solver kind: lazy (truncated output), cached (previous chunk's answer), wrong-op, repops-fma (honest, non-reproducible kernel). */
  mix: z.partialRecord(z.enum(INFERENCE_SOLVER_KINDS), z.number().min(0)).default({ honest: 1 }),
  /** Verifiers (the last nodes), each re-executing a job with probability `rate`. */
  verifiers: z.number().int().min(1).default(1),
  rate: z.number().min(0).max(1).default(1),
  /** Price in USD per GFLOP of the job (the fee is priced by FLOPs, at least 1 wei). */
  usdPerGflop: z.number().positive().default(1_000),
  buybackEveryS: z.number().min(0).default(600),
  blockTimeS: z.number().int().positive().default(1),
  moveDelayS: z.number().min(0).default(2),
  refereeDelayS: z.number().min(0).default(10),
});
export type InferenceParams = z.infer<typeof inferenceSchema>;
