// Parameters of the training workloads (`workload: {kind: ddp | diloco | streaming-diloco | noloco
// | hdee | train-compare, ...}`), validated once here; every default is stated in this file.
import { z } from "zod";
import { ADVERSARY_KINDS } from "../agents/index.ts";
import { kernelsByHardwareSchema } from "../protocol/kernelsByHardware.ts";

const positive = z.number().finite().positive();
const count = z.number().int().positive();

/** The proxy task: a seeded teacher-network classification corpus (proxyTask.ts). */
export const taskSchema = z.strictObject({
  inputs: count.max(4096).default(16),
  classes: count.min(2).max(1024).default(8),
  teacherHidden: count.max(4096).default(32),
  sharpness: positive.default(4),
  poolSize: count.max(10_000_000).default(65536),
  heldOutSize: count.max(1_000_000).default(2048),
});

/** The virtual model: sets compute time and bytes on the wire (DESIGN: Learning, two scales). */
export const virtualSchema = z.strictObject({
  /** Parameter count of the model being simulated, e.g. 1.1e9. */
  parameters: positive,
  /** Training FLOPs per token (forward + backward); default 6 x parameters. */
  flopsPerToken: positive.optional(),
  /** Tokens in one example (sequence length); batch x this = tokens per worker step. */
  tokensPerExample: count.default(1),
  /** Bytes per parameter on the wire (4 fp32, 2 fp16/bf16). */
  bytesPerParameter: positive.default(4),
  /** Device memory per parameter while training (weights, gradients, AdamW m and v in fp32: 16). */
  trainingBytesPerParameter: positive.default(16),
});

const innerObject = z.strictObject({
  lr: positive.default(3e-3),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  eps: positive.default(1e-8),
  weightDecay: z.number().min(0).default(0.01),
  /** Linear warmup over this many inner steps. */
  warmup: z.number().int().min(0).default(20),
  /**
   * After warmup: constant; linear decay to minLrRatio x lr at the last step; or cosine decay to
   * minLrRatio x lr at the last step (gensyn-ai/noloco's CosineWarmupLR, replicaSet.ts lrScale).
   */
  schedule: z.enum(["constant", "linear", "cosine"]).default("linear"),
  /** The lr at the last step, as a share of lr, for linear and cosine schedules. */
  minLrRatio: z.number().min(0).max(1).default(0.1),
  /** Clip each step's gradients to this global L2 norm (graph ops, core/ml/optimizers.ts); null = none. */
  clip: positive.nullable().default(null),
});

/**
 * Inner optimizers of the reference code, by name (an arm says `inner: noloco-reference`):
 * gensyn-ai/noloco trains NoLoCo and its DiLoCo baseline with torch Adam lr 6e-4 (no weight
 * decay, betas 0.9/0.999, eps 1e-8), CosineWarmupLR (warmup 1,000 of 25,000 steps, min lr
 * 6e-5 = 0.1 x lr) and clip_grad_norm_ 1.0. Warmup keeps the reference's share of the run at
 * this project's usual 1,000 steps: 4% = 40 steps.
 */
export const INNER_PRESETS = {
  "noloco-reference": { lr: 6e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, warmup: 40, schedule: "cosine", minLrRatio: 0.1, clip: 1 },
} as const;

export const innerSchema = z
  .union([z.enum(Object.keys(INNER_PRESETS) as [keyof typeof INNER_PRESETS]).transform((name) => innerObject.parse(INNER_PRESETS[name])), innerObject])
  .prefault({});

/** What every training algorithm shares. */
export const commonShape = {
  /** Workers, one per node: the first nodes (by id) whose memory fits the virtual model; default all that fit. */
  workers: count.optional(),
  /** Inner steps per worker over the whole run. */
  steps: count.max(1_000_000).default(200),
  /** Examples per worker per step. */
  batch: count.max(65536).default(32),
  task: taskSchema.prefault({}),
  /** Hidden width of the proxy MLP. */
  hidden: count.max(4096).default(64),
  virtual: virtualSchema.optional(),
  /** Label-skewed shards (Dirichlet over classes); null = iid. */
  nonIid: z.strictObject({ alpha: positive, shardSize: count.default(512) }).nullable().default(null),
  inner: innerSchema,
  /** Evaluate held-out loss every this many inner steps (default: every outer round, or 10). */
  evalEvery: count.optional(),
  /** Virtual time to reach this held-out loss is reported. */
  targetLoss: positive.optional(),
  allReduce: z.enum(["ring", "tree"]).default("ring"),
  /** Inner steps on the run's ML backend (ML-ENGINE graph) or on core/train's builtin kernels. */
  engine: z.enum(["backend", "builtin"]).default("backend"),
  /** Keep the loss curve in the summary (points of [seconds, held-out loss]). */
  curve: z.boolean().default(true),
  /**
   * Arms with the same replicate share the task, the initial weights and each worker's batch
   * order (common random numbers, for studies over seeds within one run). Without it every arm
   * has the run's task and draws its own initial weights and batches from its name.
   */
  replicate: z.number().int().min(1).max(1_000_000).optional(),
};

/**
 * Contributions as protocol jobs (core/protocol), shared by diloco, noloco, streaming-diloco and
 * hdee. A contribution is one worker's round (diloco: from the global weights; noloco: from its
 * own slow weights), one worker's stretch between fragment syncs and merges (streaming-diloco), or
 * one expert's stretch between evaluations (hdee: experts of one width; workers = experts).
 */
export const protocolShape = {
  /**
   * Lying workers: for each kind in `kinds`, round(fraction x workers) of them (drawn from the
   * stream ("train", arm, "adversaries")) run every contribution as that core/agents adversary: their
   * corrupted computation is the contribution they report (REFERENCE §1, §3).
   */
  adversaries: z
    .strictObject({
      fraction: z.number().min(0).max(1),
      kinds: z.array(z.enum(ADVERSARY_KINDS)).min(1).default(["poison"]),
      /** poison: each inner update reversed and scaled by this (core/agents/poison.ts). */
      scale: positive.default(10),
    })
    .nullable()
    .default(null),
  /**
   * Contributions as protocol jobs (core/protocol): with adversaries or verification, every
   * contribution is a job on the ledger (stake, fee, challenge, DisputeGame, slash), and each
   * one's verifier re-executes it with probability `rate` (REFERENCE §1); a mismatch is challenged.
   */
  verification: z
    .strictObject({
      rate: z.number().min(0).max(1).default(0),
      /** GSN each worker and verifier stakes. */
      stakeGsn: positive.default(2000),
      /** USD the trainer pays per contribution (escrowed per job; 0.5% protocol fee to the vault). */
      feeUsd: positive.default(1),
      /** Seconds to get one bisection move on chain, and for the referee's ruling. */
      moveDelayS: z.number().min(0).default(2),
      refereeDelayS: z.number().min(0).default(10),
      /** Also run Verde's off-chain referee on each dispute and record whether the chain agrees. */
      crossCheck: z.boolean().default(true),
      /** Re-run each liar's round honestly to know which contributions were wrong (metrics only). */
      groundTruth: z.boolean().default(true),
      /** Backend by the node's hardware type (honest nodes on different kernels); default: the run's. */
      backendByHardware: kernelsByHardwareSchema.default({}),
    })
    .prefault({}),
};

const outerSgd = z.strictObject({
  lr: positive.default(0.7),
  momentum: z.number().min(0).lt(1).default(0.9),
  nesterov: z.boolean().default(true),
});

export const ddpSchema = z.strictObject({ kind: z.literal("ddp"), ...commonShape });

export const dilocoSchema = z.strictObject({
  kind: z.literal("diloco"),
  ...commonShape,
  /** Inner steps per outer round. */
  H: count.default(50),
  outer: outerSgd.prefault({}),
  /** Drop workers that finish later than factor x the median compute time of the round. */
  stragglerDeadline: z.number().gt(1).nullable().default(null),
  ...protocolShape,
});

export const streamingDilocoSchema = z.strictObject({
  kind: z.literal("streaming-diloco"),
  ...commonShape,
  H: count.default(50),
  outer: outerSgd.prefault({}),
  /** Parameter fragments synced in turn, one every H/fragments inner steps. */
  fragments: count.max(64).default(4),
  /** Inner steps a fragment's sync overlaps before it is merged (tau; capped at H/fragments). */
  overlap: count.default(1),
  /** Bits per outer-gradient value on the wire (32 = none). */
  bits: z.number().int().min(2).max(32).default(4),
  quantBlock: count.default(256),
  /**
   * 4-bit format of the outer gradients: e3m0 (the paper's FP4, sign + 3 exponent bits, one scale
   * per quantBlock values) or int (symmetric uniform, any bits). Summed in float64 across workers.
   */
  quant: z.enum(["e3m0", "int"]).default("e3m0"),
  /**
   * How the parameters are cut into fragments: contiguous slices, or strided: blocks of
   * layoutBlock values dealt round-robin (block k to fragment k mod fragments), as the paper deals
   * transformer blocks (fragment f = layers f, f + F, ...).
   */
  layout: z.enum(["contiguous", "strided"]).default("contiguous"),
  layoutBlock: count.default(64),
  /** After a fragment's sync: local = mix*local + (1-mix)*global (0 = take the global fragment). */
  mix: z.number().min(0).max(1).default(0),
  ...protocolShape,
});

export const nolocoSchema = z.strictObject({
  kind: z.literal("noloco"),
  ...commonShape,
  H: count.default(50),
  /** REFERENCE §5: outer lr 0.7, outer momentum 0.5. */
  outer: z.strictObject({ alpha: positive.default(0.7), beta: z.number().min(0).lt(1).default(0.5) }).prefault({}),
  /** Ranks per gossip group (REFERENCE §5: 2); groups = all workers make every round global. */
  groupSize: z.number().int().min(2).max(1_000_000).default(2),
  /**
   * How a group exchanges: all-to-all (every member sends its payload to every other at once), or
   * star as gensyn-ai/noloco does (members send slow and fast-minus-slow weights to the group's
   * first member, which sends both means back: 2 phases of 2 payloads).
   */
  exchange: z.enum(["all-to-all", "star"]).default("all-to-all"),
  /**
   * How activations go between the two pipeline stages of the proxy (hidden layer, head): fixed
   * (each replica's own stages), or random as gensyn-ai/noloco routes (each example from its
   * owner's stage 0 to a stage-1 replica drawn per step and example; routedMlp.ts, REFERENCE §5).
   * random steps a round's workers in lockstep, on the builtin kernels, without protocol jobs.
   */
  routing: z.enum(["fixed", "random"]).default("fixed"),
  ...protocolShape,
});

export const domainSchema = z.strictObject({
  name: z.string().min(1),
  teacherHidden: count.max(4096),
  sharpness: positive.default(4),
  /** Relative share of compute a heterogeneous allocation gives this domain. */
  weight: positive.default(1),
});

export const hdeeSchema = z.strictObject({
  kind: z.literal("hdee"),
  task: taskSchema.omit({ teacherHidden: true, sharpness: true }).prefault({}),
  domains: z.array(domainSchema).min(1).max(256),
  /** equal: same size and steps per expert; iterations: steps by domain weight; size: hidden width by weight (REFERENCE §8). */
  allocation: z.enum(["equal", "iterations", "size"]).default("equal"),
  /** Steps per expert under equal allocation; other allocations keep the same total training FLOPs. */
  steps: count.max(1_000_000).default(200),
  batch: count.default(32),
  hidden: count.max(4096).default(64),
  inner: innerSchema,
  virtual: virtualSchema.optional(),
  engine: z.enum(["backend", "builtin"]).default("backend"),
  /**
   * Seed phase (REFERENCE §8): before branching, one seed model per expert width trains `steps`
   * steps on the mixture of all domains' pools; every expert of that width starts from it (fresh
   * optimizer state). gensyn-ai/hdee pretrains its seeds 20,000 steps (lr 6e-4, cosine to 6e-5,
   * warmup 1,000) and trains experts 600 steps at a tenth of that lr. steps 0: experts from random
   * weights. Default steps: the reference's ratio, 20,000 seed steps per 600 expert steps (33.3 x
   * `steps`). The seed is trained by nodes 0.. (one per width) before the experts, outside the protocol.
   */
  seed: z
    .strictObject({
      steps: z.number().int().min(0).max(100_000_000).optional(),
      inner: innerSchema,
    })
    .prefault({}),
  /**
   * How the experts are ensembled on each domain's held-out set (hdeeEnsemble.ts): cached-prior
   * (the reference's BTM posterior: per example, a cached domain prior x likelihood of the
   * preceding examples of its sequence, mixing probabilities; the default), uniform-prior (the same
   * from a uniform prior), log-average (the reference's uniform average of log-probabilities), or
   * validation-softmax (this simulator's fixed weights softmax(-validation loss / temperature)).
   * Every method's loss is reported; this one is heldOutLoss.
   */
  ensemble: z.enum(["cached-prior", "uniform-prior", "log-average", "validation-softmax"]).default("cached-prior"),
  /** Held-out examples per sequence for the posterior methods (one domain per sequence, as a document's tokens). */
  sequenceLength: count.max(1_000_000).default(16),
  /** Cached prior: over the first this many validation sequences, decaying by priorDecay (reference: 100, 0.3). */
  priorSequences: count.default(100),
  priorDecay: z.number().min(0).max(1).default(0.3),
  /** validation-softmax weights: softmax(-validationLoss / temperature) per domain. */
  temperature: positive.default(0.1),
  validationSize: count.default(256),
  /**
   * Evaluate the ensemble every this many steps (default: once, at the end). With adversaries or
   * verification each expert's stretch of training between evaluations is a protocol job.
   */
  evalEvery: count.optional(),
  ...protocolShape,
});

export const armSchema = z.discriminatedUnion("kind", [ddpSchema, dilocoSchema, streamingDilocoSchema, nolocoSchema, hdeeSchema]).superRefine((p, ctx) => {
  // NoLoCo's routing: random (routedInnerSteps.ts) needs the builtin kernels and no protocol jobs;
  // checked here so a train-compare arm is refused at load (a single noloco workload, at start).
  if (p.kind !== "noloco" || p.routing !== "random") return;
  if (p.engine !== "builtin") ctx.addIssue({ code: "custom", path: ["engine"], input: p.engine, message: "engine: builtin with routing: random (the routed steps run on the builtin kernels)" });
  if (p.adversaries !== null || p.verification.rate > 0) ctx.addIssue({ code: "custom", path: ["routing"], input: p.routing, message: "routing: fixed with adversaries or verification (routed workers step in lockstep, not as protocol jobs)" });
});

export const trainCompareSchema = z.strictObject({
  kind: z.literal("train-compare"),
  /** Arms run one after another on the same nodes; each lands in the summary under its name. */
  arms: z.array(z.strictObject({ name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }).catchall(z.unknown())).min(1).max(32),
});

export type DdpParams = z.output<typeof ddpSchema>;
export type DilocoParams = z.output<typeof dilocoSchema>;
export type StreamingDilocoParams = z.output<typeof streamingDilocoSchema>;
export type NolocoParams = z.output<typeof nolocoSchema>;
export type HdeeParams = z.output<typeof hdeeSchema>;
export type ArmParams = z.output<typeof armSchema>;
export type ProtocolParams = { adversaries: DilocoParams["adversaries"]; verification: DilocoParams["verification"] };
export type CommonParams = Omit<DdpParams, "kind">;
export type VirtualModel = z.output<typeof virtualSchema>;
export type TrainCompareParams = z.output<typeof trainCompareSchema>;
