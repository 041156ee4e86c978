// The exogenous fair token price that arbitrageurs pull the pool toward: geometric Brownian
// motion under the current regime, plus scheduled and random shocks. exp via core/des/math.ts.
import type { Rng } from "../des/rng.ts";
import { exp } from "../des/math.ts";
import type { MarketRegime } from "./marketRegime.ts";

export interface PriceShock {
  /** Day (0-based) on which the shock hits. */
  day: number;
  /** Relative move, e.g. -0.5 halves the price. */
  size: number;
}

export interface FairPriceParams {
  initialPrice: number;
  /** Scheduled shocks. */
  shocks: PriceShock[];
  /** Random shocks per year (Poisson, drawn daily). */
  shockRatePerYear: number;
  /** Mean and sd of a random shock's log size. */
  shockLogMean: number;
  shockLogSd: number;
}

export class FairPrice {
  price: number;
  shocksApplied = 0;
  constructor(
    readonly params: FairPriceParams,
    private readonly regime: MarketRegime,
    private readonly diffusion: Rng,
    private readonly shockRng: Rng,
  ) {
    this.price = params.initialPrice;
  }

  /** One GBM step of `dtYears` under the current regime. */
  step(dtYears: number): void {
    const { drift, volatility } = this.regime.current;
    const z = this.diffusion.normal();
    this.price *= exp((drift - 0.5 * volatility * volatility) * dtYears + volatility * Math.sqrt(dtYears) * z);
  }

  /** Shocks for the start of `day`: scheduled ones, then a random one with probability rate/365. */
  startDay(day: number): void {
    for (const s of this.params.shocks) {
      if (s.day === day) {
        this.price *= 1 + s.size;
        this.shocksApplied++;
      }
    }
    const u = this.shockRng.random();
    const logSize = this.shockRng.normal(this.params.shockLogMean, this.params.shockLogSd);
    if (u < this.params.shockRatePerYear / 365) {
      this.price *= exp(logSize);
      this.shocksApplied++;
    }
  }
}
