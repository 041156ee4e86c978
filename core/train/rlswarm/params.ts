// Parameters of the `rlswarm` workload (SAPO / RL Swarm v2, REFERENCE §7), validated once here;
// every default is stated in this file. Times are seconds of virtual time.
import { z } from "zod";
import { SWARM_ADVERSARY_KINDS } from "../../agents/swarmAdversaries.ts";
import { SELECTION_RULES } from "./selection.ts";

const count = z.number().int().positive();
const seconds = z.number().finite().positive();

export const swarmAdversarySchema = z.strictObject({
  kind: z.enum(SWARM_ADVERSARY_KINDS),
  /** Share of the swarm's nodes (rounded down, at least one when > 0). */
  fraction: z.number().min(0).max(1),
  /** poisoner: publish wrong gold answers with completions that match them, or garbage completions. */
  mode: z.enum(["wrong-gold", "garbage"]).default("wrong-gold"),
  /** slow: multiplier on compute time. */
  slowdown: z.number().min(1).max(1000).default(20),
  /** sybil: extra peer ids registered by the same account and voted for. */
  ids: z.number().int().min(1).max(64).default(4),
});

export const rlswarmSchema = z.strictObject({
  /** 1 = RL Swarm v2 / SAPO (one stage per round); 3 = v1 (answer, critique, resolve; stagedRound.ts). */
  stages: z.union([z.literal(1), z.literal(3)], { error: "rlswarm: stages must be 1 (v2 / SAPO) or 3 (v1: answer, critique, resolve)" }).default(1),
  /** GRPO updates on the same rollouts per round (genrl's num_iterations; > 1 makes the clipped ratio bind). */
  iterations: z.number().int().min(1).max(16).default(1),
  /** Rounds the stage manager runs. */
  rounds: count.max(100_000).default(100),
  /** Local question groups per round (SAPO's I). */
  I: z.number().int().min(1).max(64).default(4),
  /** External question groups per round (SAPO's J). */
  J: z.number().int().min(0).max(64).default(4),
  /** Completions per question (SAPO's L). */
  L: z.number().int().min(2).max(64).default(4),
  selection: z.enum(SELECTION_RULES).default("uniform"),
  /** How a receiver scores external completions: against the payload's gold answer (the public code) or its own solver. */
  verifyWith: z.enum(["payload-answer", "own-solver"]).default("payload-answer"),
  /** Share of a node's questions drawn from its specialty (node index mod 5); the rest uniformly. */
  specialtyShare: z.number().min(0).max(1).default(0.5),
  /** Stage manager's round period (seconds of chain time). */
  roundPeriodS: seconds.max(86_400).default(30),
  /** DHT: store, wait this long, then get (genrl's sleep(1)). */
  gatherWindowS: seconds.max(3600).default(1),
  /** DHT entry lifetime. */
  ttlS: seconds.max(86_400).default(600),
  /** Round polling backoff: first wait, doubling up to the cap (rgym manager: 5 s to 15 min). */
  pollMinS: seconds.default(5),
  pollMaxS: seconds.default(900),
  /** Batched reward and winner submission period (rgym: 3 h). */
  submitEveryS: seconds.default(10_800),
  /** Seconds per block on the ledger (settlement barriers). */
  blockTimeS: z.number().int().min(1).max(3600).default(12),
  /** GRPO learning rate (plain Adam). */
  lr: z.number().finite().positive().max(1).default(1e-3),
  /** Supervised warm start of the shared base model (the pretrained model every node downloads). */
  pretrain: z.strictObject({ steps: z.number().int().min(0).max(10_000).default(80), lr: z.number().positive().default(3e-3), batch: count.max(1024).default(32) }).prefault({}),
  /** The proxy policy (really trained). */
  model: z.strictObject({ width: count.max(512).default(32), heads: count.max(16).default(2), layers: count.max(8).default(1) }).prefault({}),
  /** The virtual policy: compute time, memory fit, bytes on the wire. */
  virtual: z.strictObject({
    parameters: z.number().positive().default(0.5e9),
    tokensPerCompletion: count.max(1_000_000).default(256),
    trainingBytesPerParameter: z.number().positive().default(16),
  }).prefault({}),
  /** Longest text a receiver accepts in a payload (characters). */
  maxPayloadChars: count.max(1_000_000).default(256),
  adversaries: z.array(swarmAdversarySchema).max(8).default([]),
  /** Each node's GRPO step as a verifiable protocol job (stepJobs.ts; v2, iterations 1); absent: plain batched steps. */
  verify: z.strictObject({
    /** Probability that another member re-executes a step. */
    rate: z.number().min(0).max(1),
    stakeGsn: z.number().positive().default(2000),
    feeUsd: z.number().positive().default(1),
    moveDelayS: z.number().min(0).default(2),
    refereeDelayS: z.number().min(0).default(10),
  }).optional(),
  /** Also run the same swarm without adversaries afterwards (cleanTwin.ts); its summary lands under `clean`. */
  cleanTwin: z.boolean().default(false),
}).superRefine((p, ctx) => {
  if (p.model.width % p.model.heads !== 0) ctx.addIssue({ code: "custom", path: ["model", "width"], message: `width ${p.model.width} must be divisible by heads ${p.model.heads}`, input: p.model.width });
  if (p.pollMaxS < p.pollMinS) ctx.addIssue({ code: "custom", path: ["pollMaxS"], message: `pollMaxS ${p.pollMaxS} < pollMinS ${p.pollMinS}`, input: p.pollMaxS });
  if (p.verify && (p.stages !== 1 || p.iterations !== 1)) ctx.addIssue({ code: "custom", path: ["verify"], message: `verify (GRPO steps as jobs) needs stages: 1 and iterations: 1, got stages ${p.stages}, iterations ${p.iterations}`, input: p.verify });
  const share = p.adversaries.reduce((a, x) => a + x.fraction, 0);
  if (share > 1) ctx.addIssue({ code: "custom", path: ["adversaries"], message: `adversary fractions sum to ${share} > 1`, input: share });
});

export type RlswarmParams = z.output<typeof rlswarmSchema>;
export type SwarmAdversaryParams = z.output<typeof swarmAdversarySchema>;
