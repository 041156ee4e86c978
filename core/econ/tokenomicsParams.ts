// Parameters of the `tokenomics` workload: every number of REFERENCE §9 and of the market
// model is settable from the scenario (`workload: {kind: tokenomics, ...}`); defaults here.
import { z } from "zod";

const share = z.number().min(0).max(1);
const nonNeg = z.number().finite().min(0);
const positive = z.number().finite().positive();

export const regimeSchema = z.strictObject({
  name: z.string().min(1),
  /** Annual log-drift of the fair price. */
  drift: z.number().finite().min(-20).max(20),
  /** Annual volatility of the fair price. */
  volatility: z.number().finite().min(0).max(20),
  /** Multiplier on job fee volume in this regime. */
  demandMultiplier: nonNeg.max(1e6).default(1),
  /** Mean days before leaving this regime (0 = stays). */
  meanDays: nonNeg.max(1e6).default(0),
});

/** The params of `workload: {kind: tokenomics, ...}` (every key except `kind`). */
export const tokenomicsParamsSchema = z.strictObject({
  /** Simulated days (daily steps). */
  days: z.number().int().min(1).max(36500).default(365),
  /** Market ticks per day (arbitrage, fee intake, buyback chances). */
  ticksPerDay: z.number().int().min(1).max(1440).default(24),
  token: z.strictObject({
    /** Shares of the fixed 10B supply (REFERENCE §9) allocated at genesis; the rest (minus pool liquidity) circulates. */
    treasuryShare: share.default(0.2),
    emissionsShare: share.default(0.1),
    stakedShare: share.default(0.2),
  }).prefault({}),
  pool: z.strictObject({
    /** Tokens seeded into the AMM pool. */
    tokenLiquidity: positive.default(200_000_000),
    /** Initial price (stable per token); the stable side is tokenLiquidity x price. */
    initialPrice: positive.default(0.1),
    /** Swap fee in basis points (Uniswap V2: 30). */
    feeBps: z.number().int().min(0).max(1000).default(30),
  }).prefault({}),
  fees: z.strictObject({
    /** Share of job fees that is protocol fee, sent to the buyback vault (REFERENCE §9: 0.5%). */
    protocolFeeShare: share.default(0.005),
  }).prefault({}),
  buyback: z.strictObject({
    /** Executor reward share of the tokens bought (REFERENCE §9: 1%). */
    executorShare: share.default(0.01),
    /** Burn share of what remains after the executor reward (REFERENCE §9: 70%). */
    burnShare: share.default(0.7),
    /** TWAP window in seconds (REFERENCE §9: >= 30 min). */
    twapWindowSeconds: z.number().int().min(60).max(30 * 86400).default(1800),
    /** Skip a buyback while |spot/TWAP - 1| exceeds this. */
    maxTwapDeviation: share.default(0.05),
    /** Slippage bound from spot (REFERENCE §9: <= 5%). */
    maxSlippage: share.default(0.05),
    /** Stable spent per day at most (0 = no cap). */
    dailyCap: nonNeg.default(0),
    /** Buyback executions per day (must divide ticksPerDay). */
    executionsPerDay: z.number().int().min(1).max(1440).default(24),
  }).prefault({}),
  demand: z.strictObject({
    /** Job fee volume on day 0 (stable per day). */
    baseFeesPerDay: nonNeg.default(2_000_000),
    annualGrowth: z.number().finite().min(-0.99).max(100).default(0.5),
    dailyNoise: nonNeg.max(5).default(0.2),
  }).prefault({}),
  price: z.strictObject({
    regimes: z.array(regimeSchema).min(1).default([{ name: "base", drift: 0, volatility: 0.8, demandMultiplier: 1, meanDays: 0 }]),
    shocks: z.array(z.strictObject({ day: z.number().int().min(0), size: z.number().finite().gt(-1).max(100) })).default([]),
    shockRatePerYear: nonNeg.max(365).default(0),
    shockLogMean: z.number().finite().min(-10).max(10).default(-0.3),
    shockLogSd: nonNeg.max(10).default(0.2),
    /** Fraction of the log gap to the fair price that arbitrage closes each tick. */
    arbitrageEfficiency: share.default(0.5),
    /**
     * How the fair price answers the market float (circulating + staked + pool): it is scaled
     * by (float at genesis / float now)^supplyElasticity, so burns lift it and treasury sales
     * weigh on it. 0 = purely exogenous price.
     */
    supplyElasticity: z.number().finite().min(0).max(10).default(0),
  }).prefault({}),
  staking: z.strictObject({
    /** Annual reward rate paid on staked tokens. */
    apr: nonNeg.max(10).default(0.08),
    /** Where rewards come from: the genesis emissions reserve or the treasury. */
    rewardSource: z.enum(["emissions", "treasury"]).default("emissions"),
    /** Share of (circulating + staked) that stakers aim to keep staked. */
    targetShare: share.default(0.3),
    /** Fraction of the gap to the target closed per day. */
    adjustPerDay: share.default(0.05),
    /** Staking contract's unstake delay (days). */
    unstakeDelayDays: z.number().int().min(0).max(365).default(7),
  }).prefault({}),
  treasury: z.strictObject({
    /** Operating spend (stable per day), paid by selling treasury tokens on the pool. */
    spendPerDay: nonNeg.default(20_000),
  }).prefault({}),
});

export type TokenomicsParams = z.output<typeof tokenomicsParamsSchema>;

/** Fully defaulted parameters from a partial input (tests, notebooks). */
export function tokenomicsParams(input: Record<string, unknown> = {}): TokenomicsParams {
  return tokenomicsParamsSchema.parse(input);
}
