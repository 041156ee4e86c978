// Parameters of the `verde-disputes` workload (scenario `workload: {kind: verde-disputes, ...}`):
// many replicated jobs with a mix of provider behaviours and backends (DESIGN: Verification).
import { z } from "zod";
import { ADVERSARY_KINDS } from "../agents/index.ts";
import { taskSchema } from "../train/trainParams.ts";
import { kernelsByHardwareSchema } from "../protocol/kernelsByHardware.ts";

const UNIT_S: Record<string, number> = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/** "90s", "10m", "1h", or a number of seconds -> integer microseconds. */
const durationUs = z.union([z.number().min(0), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, { error: 'expected a duration like "30s", "10m", "1h"' })]).transform((v) => {
  if (typeof v === "number") return Math.round(v * 1e6);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v)!;
  return Math.round(Number(m[1]) * UNIT_S[m[2]] * 1e6);
});

const kindMix = z.partialRecord(z.enum(["honest", ...ADVERSARY_KINDS]), z.number().min(0));

/**
 * Hardware type -> the backend an honest provider on such a node runs (its kernels), e.g.
 * {h100: repops-tree, rtx4090: tfjs-cpu, m2: tfjs-wasm, default: repops}; `default` covers the
 * hardware not named. Every hardware the world holds needs an entry or a default.
 */
export const backendByHardwareSchema = kernelsByHardwareSchema.refine((map) => Object.keys(map).length > 0, { error: "expected at least one entry, e.g. {default: repops}" });

export const verdeDisputesSchema = z.strictObject({
  jobs: z.int().min(1).max(10_000).default(20).meta({ description: "Replicated jobs to run" }),
  steps: z.int().min(1).max(100_000).default(32).meta({ description: "Training steps per job" }),
  model: z
    .strictObject({
      inDim: z.int().min(1).max(1024).default(8),
      hidden: z.array(z.int().min(1).max(4096)).max(8).default([16]),
      classes: z.int().min(2).max(1024).default(4),
      batch: z.int().min(1).max(4096).default(16),
      lr: z.number().positive().max(10).default(0.01),
    })
    .prefault({}),
  job: z
    .discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("mixture") }),
      z.strictObject({
        kind: z.literal("proxy-task"),
        task: taskSchema.prefault({ poolSize: 4096, heldOutSize: 256 }),
        alpha: z.number().positive().nullable().default(0.3).meta({ description: "Dirichlet non-iid shards (null = iid)" }),
        shardSize: z.int().min(1).max(1_000_000).default(512),
      }),
    ])
    .default({ kind: "mixture" })
    .meta({ description: "What each job trains: a Gaussian-mixture MLP, or a worker's inner steps on TRAINING's proxy task and shard" }),
  providers: z.int().min(2).max(64).default(2).meta({ description: "Providers each job is replicated to" }),
  honestPerJob: z.int().min(0).max(64).default(1).meta({ description: "Providers per job forced honest (Verde needs one)" }),
  mix: kindMix.default({ honest: 1 }).meta({ description: "Weights of the behaviour of every other provider" }),
  backendByHardware: backendByHardwareSchema
    .default({ default: "repops" })
    .meta({ description: "Backend an honest provider runs on, by its node's hardware type (key `default` for the rest): e.g. {h100: repops-tree, rtx4090: tfjs-cpu, default: repops}" }),
  control: z.boolean().default(false).meta({ description: "Also run every job with all providers on repops (the reproducible control arm)" }),
  interval: z.int().min(1).max(100_000).default(1).meta({ description: "Commitment interval k (a checkpoint hash every k steps)" }),
  keepEvery: z.int().min(1).max(100_000).default(16).meta({ description: "Providers keep a full state every this many steps; a dispute re-runs from the nearest one" }),
  clock: durationUs.default(3_600_000_000).meta({ description: "Chess clock per party (REFERENCE §4)" }),
  clockExtension: durationUs.default(0).meta({ description: "Each answer gets at least this long (REFERENCE §4: Optimism's 3 h extension)" }),
  every: durationUs.default(600_000_000).meta({ description: "Time between job arrivals" }),
  virtualStepFlops: z.number().positive().nullable().default(null).meta({ description: "FLOPs of one step of the virtual model (sets compute time); null = the proxy's own" }),
  referee: z.int().min(0).default(0).meta({ description: "World node acting as the referee" }),
});

export type VerdeDisputesParams = z.output<typeof verdeDisputesSchema>;
