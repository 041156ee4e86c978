// The token economy: exact supply conservation (property + fixed-seed twin), buyback guards, runway.
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../des/index.ts";
import { Metrics, Trace } from "../run/index.ts";
import { SUPPLY_BUCKETS } from "./tokenSupply.ts";
import { TokenomicsMarket } from "./tokenomicsMarket.ts";
import { tokenomicsParams, type TokenomicsParams } from "./tokenomicsParams.ts";
import { startTokenomics } from "./tokenomicsWorkload.ts";

/** Runs the workload on a bare kernel; returns the summary and the market state checks. */
function runOn(seed: number, params: TokenomicsParams) {
  const env = new Environment();
  const ctx = { env, streams: new RngStreams(seed), trace: new Trace(env), metrics: new Metrics(env), backend: "none", settle: "memory" as const, world: null as never, onBarrier() {} };
  const run = startTokenomics(ctx, params);
  env.run(run.done);
  return { summary: run.summary() as Record<string, any>, hash: ctx.trace.close(), metrics: ctx.metrics };
}

function randomParams(seed: number): TokenomicsParams {
  const r = new RngStreams(seed).stream("params");
  const ticks = [1, 4, 6, 24][r.int(4)];
  return tokenomicsParams({
    days: 10 + r.int(30),
    ticksPerDay: ticks,
    token: { treasuryShare: r.uniform(0, 0.3), emissionsShare: r.uniform(0, 0.2), stakedShare: r.uniform(0, 0.3) },
    pool: { tokenLiquidity: r.uniform(1e6, 5e8), initialPrice: r.uniform(0.001, 2), feeBps: r.int(100) },
    fees: { protocolFeeShare: r.uniform(0, 0.05) },
    buyback: {
      executorShare: r.uniform(0, 0.05), burnShare: r.random(), maxSlippage: r.uniform(0, 0.1),
      maxTwapDeviation: r.uniform(0, 0.2), dailyCap: r.bernoulli(0.5) ? r.uniform(0, 1e5) : 0, executionsPerDay: ticks,
    },
    demand: { baseFeesPerDay: r.uniform(0, 1e7), annualGrowth: r.uniform(-0.5, 3), dailyNoise: r.uniform(0, 1) },
    price: {
      regimes: [
        { name: "bull", drift: 1, volatility: r.uniform(0, 2), demandMultiplier: 2, meanDays: 5 },
        { name: "bear", drift: -1, volatility: r.uniform(0, 2), demandMultiplier: 0.3, meanDays: 5 },
      ],
      shocks: [{ day: 3, size: -0.6 }, { day: 6, size: 1.5 }],
      shockRatePerYear: r.uniform(0, 50),
      arbitrageEfficiency: r.random(),
    },
    staking: { apr: r.uniform(0, 1), rewardSource: r.bernoulli(0.5) ? "treasury" : "emissions", targetShare: r.random(), adjustPerDay: r.random(), unstakeDelayDays: r.int(10) },
    treasury: { spendPerDay: r.uniform(0, 5e6) },
  });
}

describe("token supply is conserved exactly", () => {
  test("in every run over many seeds and parameters (property)", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const params = randomParams(seed);
      const { summary } = runOn(seed, params); // the market checks conservation after every tick
      const w = summary.supplyWei as Record<string, string>;
      let sum = 0n;
      for (const b of SUPPLY_BUCKETS) sum += BigInt(w[b]);
      expect(sum).toBe(BigInt(w.minted));
      expect(BigInt(w.minted)).toBe(10_000_000_000n * 10n ** 18n);
      expect(BigInt(w.burned)).toBeLessThanOrEqual(BigInt(w.minted));
      expect(summary.burned).toBe(summary.buybackBurned);
      expect(summary.totalSupply).toBeLessThanOrEqual(10_000_000_000);
    }
  }, 30_000);

  test("fixed-seed twin: seed 42, default parameters, 30 days", () => {
    const { summary, hash } = runOn(42, tokenomicsParams({ days: 30 }));
    expect(summary.supplyWei).toEqual(FIXED_SUPPLY_WEI);
    expect(runOn(42, tokenomicsParams({ days: 30 })).hash).toBe(hash);
    expect(runOn(43, tokenomicsParams({ days: 30 })).hash).not.toBe(hash);
  });
});

describe("the buyback", () => {
  test("burns the configured share of each buyback (REFERENCE §10.7)", () => {
    const { summary } = runOn(3, tokenomicsParams({ days: 20, buyback: { burnShare: 0.5, executorShare: 0.02 } }));
    expect(summary.executions).toBeGreaterThan(0);
    expect(summary.buybackBurned / (summary.bought * 0.98)).toBeCloseTo(0.5, 6);
    expect(summary.executorReward / summary.bought).toBeCloseTo(0.02, 6);
  });

  test("a pump trips the vault's TWAP guard (PriceAboveTwap) and the daily cap limits spending", () => {
    const params = tokenomicsParams({
      days: 10, ticksPerDay: 24, buyback: { maxTwapDeviation: 0.02, dailyCap: 1000 },
      price: { shocks: [{ day: 4, size: 1.0 }], arbitrageEfficiency: 0.9 },
    });
    const { summary } = runOn(5, params);
    expect(summary.skippedTwap).toBeGreaterThan(0);
    expect(summary.limitedByCap).toBeGreaterThan(0);
    expect(summary.buybackSpent).toBeLessThanOrEqual(10 * 1000 + 1e-6);
    expect(summary.vaultUnspent).toBeGreaterThan(0);
  });

  test("more burn share burns more and leaves the treasury less (same seed)", () => {
    const lo = runOn(8, tokenomicsParams({ days: 30, buyback: { burnShare: 0.3 } })).summary;
    const hi = runOn(8, tokenomicsParams({ days: 30, buyback: { burnShare: 0.9 } })).summary;
    expect(hi.burned).toBeGreaterThan(lo.burned);
    expect(hi.buybackTreasury).toBeLessThan(lo.buybackTreasury);
  });
});

describe("the market", () => {
  test("records one sample of each trajectory per day", () => {
    const { metrics } = runOn(1, tokenomicsParams({ days: 12 }));
    expect(metrics.aggregate("econ.price")!.count).toBe(12);
    expect(metrics.aggregate("econ.runwayYears")!.count).toBe(12);
  });

  test("a treasury that overspends is depleted and says on which day", () => {
    const { summary } = runOn(2, tokenomicsParams({ days: 30, token: { treasuryShare: 0.0001 }, treasury: { spendPerDay: 20_000 } }));
    expect(summary.treasuryDepletedDay).toBe(FIXED_DEPLETED_DAY);
    expect(summary.treasury).toBe(0);
  });

  test("a ticksPerDay that does not divide the day is refused", () => {
    expect(() => new TokenomicsMarket(tokenomicsParams({ ticksPerDay: 7, buyback: { executionsPerDay: 7 } }), new RngStreams(1))).toThrow("ticksPerDay");
    expect(() => new TokenomicsMarket(tokenomicsParams({ ticksPerDay: 24, buyback: { executionsPerDay: 5 } }), new RngStreams(1))).toThrow("executionsPerDay");
    expect(() => new TokenomicsMarket(tokenomicsParams({ token: { treasuryShare: 0.6, stakedShare: 0.5 } }), new RngStreams(1))).toThrow("exceed");
  });
});

const FIXED_SUPPLY_WEI = {
  minted: "10000000000000000000000000000",
  circulating: "4777112387644251956140886750",
  staked: "2040274585253138935272413372",
  treasury: "1994758492833096447636159106",
  emissions: "986688672027089282519543618",
  pool: "198969360269545906492380139",
  vault: "0",
  burned: "2196501972877471938617015",
};
const FIXED_DEPLETED_DAY = 6;

describe("settlement", () => {
  test("the economy refuses settle: anvil with a clear message", () => {
    const env = new Environment();
    const ctx = { env, streams: new RngStreams(1), trace: new Trace(env), metrics: new Metrics(env), backend: "none", settle: "anvil" as const, world: null as never, onBarrier() {} };
    expect(() => startTokenomics(ctx, tokenomicsParams({ days: 1 }))).toThrow("in-memory ledger only");
  });
});
