// Parameters of the `skippipe` workload (REFERENCE §6), validated once here; every default is
// stated in this file. Checks that need the world (stage sizes vs node count, device memory)
// are made when the workload starts and name the scenario path too.
import { z } from "zod";

const count = z.number().int().positive();

export const SCHEMES = ["dtfm", "dtfmSkip", "skippipe", "skippipeCa"] as const;
export type Scheme = (typeof SCHEMES)[number];

export const skippipeSchema = z
  .strictObject({
    /** Nodes per stage, stage 0 first; must sum to the world's node count. */
    stages: z.array(count.max(100_000)).min(2).max(32).default([5, 3, 3, 3, 3, 3]),
    /** Stages each microbatch visits, stage 0 included (4 of 6 = a 33% skip). */
    pathLength: count.default(4),
    /** Adjacent stage swaps allowed per path. */
    maxSwaps: z.number().int().min(0).max(8).default(2),
    /** Microbatch groups (agents) a node holds at once; the executor gives each node memory x group slots. */
    memory: count.max(64).default(3),
    /** Microbatches originating at each stage-0 node per iteration. */
    microbatchesPerNode: count.max(1024).default(6),
    /** Microbatches per scheduling agent (the reference plans 2 together). */
    group: count.max(64).default(2),
    balanceSlack: z.number().int().min(0).max(1000).default(0),
    /** Fixed cost per activation hop in seconds (the reference's 0.13 + 0.2 + 0.02 CPU<->GPU term). */
    overhead: z.number().min(0).max(60).default(0.35),
    /** The virtual model: compute per stage from each node's hardware, activation bytes per hop. */
    virtual: z
      .strictObject({
        layers: count.max(10_000).default(24),
        width: count.max(1_000_000).default(1024),
        context: count.max(1_000_000).default(1024),
        microbatch: count.max(100_000).default(8),
        bytesPerValue: z.number().positive().default(4),
        trainingBytesPerParameter: z.number().positive().default(16),
      })
      .prefault({}),
    allocation: z
      .strictObject({ population: count.max(10_000).default(40), trials: z.number().int().min(0).max(1_000_000).default(600), localSearch: z.number().int().min(0).max(1000).default(4), points: count.max(64).default(5) })
      .prefault({}),
    scheduler: z
      .strictObject({ candidates: count.max(1000).default(4), maxSolutions: count.max(1000).default(8), improveRatio: z.number().positive().max(1).default(0.88), maxExpansions: z.number().int().min(0).max(1_000_000).default(300) })
      .prefault({}),
    /** Iterations each scheme runs (one after another in virtual time). */
    iterations: count.max(100_000).default(2),
    schemes: z.array(z.enum(SCHEMES)).min(1).default([...SCHEMES]),
    /**
     * Real training of the proxy transformer (stages of layersPerStage blocks) along the paths of
     * `scheme`'s executed iterations, against the full pipeline on the same data; null: timing only.
     */
    training: z
      .strictObject({
        scheme: z.enum(SCHEMES).default("skippipeCa"),
        vocab: count.min(2).max(4096).default(8),
        context: count.max(4096).default(8),
        width: count.max(4096).default(16),
        heads: count.max(64).default(2),
        layersPerStage: count.max(64).default(1),
        microbatch: count.max(4096).default(4),
        lr: z.number().positive().default(0.02),
        warmup: z.number().int().min(0).default(5),
        weightDecay: z.number().min(0).default(0.01),
        heldOut: count.max(100_000).default(256),
        corpus: z.strictObject({ order: z.union([z.literal(1), z.literal(2)]).default(1), concentration: z.number().positive().default(0.3) }).prefault({}),
        /** Held-out loss of both arms every this many iterations (the curve in the summary). */
        evalEvery: count.default(10),
        /** Inference with these shares of the stages (stage 0 always kept), perplexity vs all stages. */
        partial: z.array(z.number().gt(0).max(1)).default([0.5, 0.75]),
      })
      .nullable()
      .default(null),
    /** Give up an iteration after this many seconds (its unfinished microbatches count as lost). */
    iterationTimeout: z.number().positive().default(3600),
  })
  .superRefine((p, ctx) => {
    const S = p.stages.length;
    if (p.pathLength > S) ctx.addIssue({ code: "custom", path: ["pathLength"], message: `at most the ${S} stages`, input: p.pathLength });
    if (p.virtual.layers % S !== 0) ctx.addIssue({ code: "custom", path: ["virtual", "layers"], message: `a layer count divisible by the ${S} stages`, input: p.virtual.layers });
    if (p.training !== null && p.training.width % p.training.heads !== 0) ctx.addIssue({ code: "custom", path: ["training", "width"], message: `a multiple of the ${p.training.heads} heads`, input: p.training.width });
    if (p.training !== null && !p.schemes.includes(p.training.scheme)) ctx.addIssue({ code: "custom", path: ["training", "scheme"], message: `one of the schemes run (${p.schemes.join(", ")})`, input: p.training.scheme });
    if (p.microbatchesPerNode % p.group !== 0) ctx.addIssue({ code: "custom", path: ["microbatchesPerNode"], message: `a multiple of the group size ${p.group}`, input: p.microbatchesPerNode });
  });

export type SkippipeParams = z.output<typeof skippipeSchema>;
