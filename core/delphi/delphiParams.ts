// The `delphi` workload's parameters (REFERENCE §9): AI-settled prediction markets whose fees feed
// the buyback. Validated once here; bad values fail with the key and the value.
import { z } from "zod";

export const judgeSchema = z.strictObject({
  /** Requests (evidence rows) per chunk and chunks (Verde phase-1 steps) of the judge's inference job. */
  rows: z.number().int().positive().default(4),
  chunks: z.number().int().positive().default(4),
  /** Standard deviation of the noise on each evidence value (the true outcome's value is 1). */
  evidenceNoise: z.number().min(0).default(0.8),
  /** Standard deviation of the noise on the judge model's weights (identity x gain): a worse model. */
  weightNoise: z.number().min(0).default(0.2),
  /** Probability that a judge job's solver lies (reports a wrong outcome). */
  lyingRate: z.number().min(0).max(1).default(0),
  /** Verifier nodes (the last nodes of the world), each re-executing a judge job with probability verificationRate. */
  verifiers: z.number().int().min(0).default(2),
  verificationRate: z.number().min(0).max(1).default(1),
  /** Judge attempts per market before it is left unresolved (a rejected job is re-posted to another solver). */
  maxAttempts: z.number().int().positive().default(8),
  /** The judge job's fee in USD (paid by the market's creator). */
  feeUsd: z.number().positive().default(5),
});

export const delphiSchema = z.strictObject({
  markets: z.number().int().positive().default(4),
  outcomes: z.number().int().min(2, "a market needs at least 2 outcomes").max(8).default(2),
  /** Seconds from the start until trading stops and the judge runs (must be in the future: > 0). */
  resolveAfterS: z.number().positive("the resolution time must be after the market opens (> 0 s)").default(6 * 3600),
  /** The creator's funding per market (USD): one complete set per USD into the pool. */
  liquidityUsd: z.number().positive().default(1_000),
  /** Trading fee in basis points of each trade (0..9999). */
  tradingFeeBps: z.number().int().min(0, "the trading fee cannot be negative").max(9_999).default(200),
  /** Share of the trading fee paid into the BuybackVault as the protocol fee (REFERENCE §9: 0.5%). */
  protocolShareBps: z.number().int().min(0).max(10_000).default(50),
  traders: z.number().int().positive().default(20),
  /** Trade attempts per trader per market, at uniform times before resolution. */
  tradesPerTrader: z.number().int().min(0).default(3),
  /** Largest single trade in USD. */
  tradeUsd: z.number().positive().default(50),
  /** Standard deviation of each trader's private signal per outcome (the truth's mean is 1). */
  signalNoise: z.number().min(0).default(1),
  judge: judgeSchema.prefault({}),
  /** The keeper buys back with the vault's USD every this many seconds (0: never). */
  buybackEveryS: z.number().min(0).default(600),
  blockTimeS: z.number().int().positive().default(1),
  moveDelayS: z.number().min(0).default(2),
  refereeDelayS: z.number().min(0).default(10),
});
export type DelphiParams = z.infer<typeof delphiSchema>;
