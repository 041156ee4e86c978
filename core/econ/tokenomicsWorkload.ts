// The `tokenomics` workload: runs the token economy (REFERENCE §9) on the kernel in daily steps
// of market ticks, records supply / price / treasury trajectories as metrics (one sample per
// day) and summarises the run; supply conservation is checked after every tick.
import type { ProcessGenerator } from "../des/index.ts";
import { ConfigError } from "../errors.ts";
import type { RunContext, Workload, WorkloadRun } from "../run/index.ts";
import { DAY_US, TokenomicsMarket, type DayRecord } from "./tokenomicsMarket.ts";
import { tokenomicsParamsSchema, type TokenomicsParams } from "./tokenomicsParams.ts";
import { fromWei } from "./wei.ts";
import { SUPPLY_BUCKETS, tokenSupply } from "./tokenSupply.ts";

/** Per-day metrics, named econ.<field> (stable-denominated values say so in the name). */
export const DAY_METRICS = [
  "price", "fairPrice", "totalSupply", "burned", "treasury", "treasuryValue", "staked",
  "circulating", "pool", "emissions", "fees", "buyback", "runwayYears", "stakingYield",
] as const satisfies readonly (keyof DayRecord)[];

/** Runs the market for params.days days on ctx's kernel; the returned run ends at `done`. */
export function startTokenomics(ctx: RunContext, params: TokenomicsParams): WorkloadRun {
  if (ctx.settle === "anvil") {
    // Hundreds of thousands of swaps a simulated year: the economy settles on the in-memory
    // ledger, which mirrors the contracts exactly (core/ledger).
    throw new ConfigError("workload tokenomics: runs on the in-memory ledger only; use settle: memory (or --settle memory)");
  }
  const market = new TokenomicsMarket(params, ctx.streams);
  const { env, metrics, trace } = ctx;
  let minPrice = market.spotPrice();
  let maxPrice = minPrice;
  let peak = minPrice;
  let maxDrawdown = 0;
  let minRunway = Infinity;
  let last: DayRecord | null = null;
  let yieldSum = 0;
  let lastRegime = market.regime.index;
  let lastShocks = 0;

  function* body(): ProcessGenerator<void> {
    for (let day = 0; day < params.days; day++) {
      market.startDay(day);
      if (market.regime.index !== lastRegime) {
        lastRegime = market.regime.index;
        trace.emit("econ.regime", { day, regime: market.regime.current.name });
      }
      if (market.fair.shocksApplied !== lastShocks) {
        lastShocks = market.fair.shocksApplied;
        trace.emit("econ.shock", { day, fairPrice: market.fair.price });
      }
      for (let i = 0; i < params.ticksPerDay; i++) {
        market.tick(env.now, i);
        yield env.timeout(market.tickUs);
      }
      const rec = market.endDay(env.now, day);
      for (const name of DAY_METRICS) metrics.record(`econ.${name}`, rec[name]);
      trace.emit("econ.day", {
        day,
        price: rec.price,
        burnedWei: market.ledger.burned().toString(),
        treasuryWei: market.ledger.balanceOf("treasury", "GSN").toString(),
        buyback: rec.buyback,
      });
      if (rec.price < minPrice) minPrice = rec.price;
      if (rec.price > maxPrice) maxPrice = rec.price;
      if (rec.price > peak) peak = rec.price;
      maxDrawdown = Math.max(maxDrawdown, 1 - rec.price / peak);
      minRunway = Math.min(minRunway, rec.runwayYears);
      yieldSum += rec.stakingYield;
      last = rec;
    }
  }

  const done = env.process(body(), "tokenomics");
  return {
    done,
    summary() {
      const supply = tokenSupply(market.ledger);
      const v = market.totals;
      const supplyWei: Record<string, string> = { minted: supply.minted.toString() };
      for (const b of SUPPLY_BUCKETS) supplyWei[b] = supply[b].toString();
      const r = last;
      return {
        days: r === null ? 0 : r.day + 1,
        finalPrice: r?.price ?? market.spotPrice(),
        finalFairPrice: market.fairPrice(),
        minPrice,
        maxPrice,
        maxDrawdown,
        totalSupply: fromWei(market.ledger.totalSupply("GSN")),
        burned: fromWei(supply.burned),
        burnedShare: Number(supply.burned) / Number(supply.minted),
        treasury: fromWei(supply.treasury),
        treasuryValue: r?.treasuryValue ?? 0,
        runwayYearsFinal: r?.runwayYears ?? 0,
        runwayYearsMin: Number.isFinite(minRunway) ? minRunway : 0,
        treasuryDepletedDay: market.treasuryDepletedDay,
        staked: fromWei(supply.staked),
        stakingYieldMean: r === null ? 0 : yieldSum / (r.day + 1),
        stakingRewards: fromWei(market.stakingRewardsPaid),
        jobFees: market.totalFees,
        protocolFees: fromWei(v.feesIn),
        buybackSpent: fromWei(v.stableSpent),
        vaultUnspent: fromWei(market.ledger.balanceOf("BuybackVault", "USD")),
        bought: fromWei(v.bought),
        executorReward: fromWei(v.executor),
        buybackBurned: fromWei(v.burned),
        buybackTreasury: fromWei(v.treasury),
        executions: v.executions,
        skippedTwap: v.skippedTwap,
        limitedBySlippage: v.limitedBySlippage,
        limitedByCap: v.limitedByCap,
        regimeSwitches: market.regime.switches,
        shocks: market.fair.shocksApplied,
        supplyConserved: true,
        supplyWei,
      };
    },
  };
}

export const tokenomicsWorkload: Workload<TokenomicsParams> = {
  kind: "tokenomics",
  start: startTokenomics,
};

/** The registry entry (sim/scenario/workloads/index.ts): params schema + workload. */
export const tokenomicsEntry = { schema: tokenomicsParamsSchema, workload: tokenomicsWorkload };
