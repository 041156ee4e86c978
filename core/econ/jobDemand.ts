// Exogenous demand: the daily volume of job fees paid on the network (stable units), growing
// at an annual rate, scaled by the market regime, with seeded log-normal day-to-day noise.
import type { Rng } from "../des/rng.ts";
import { exp, log } from "../des/math.ts";
import type { MarketRegime } from "./marketRegime.ts";

export interface JobDemandParams {
  /** Job fee volume on day 0 (stable per day). */
  baseFeesPerDay: number;
  /** Annual growth rate of the volume, e.g. 1.0 doubles it in a year. */
  annualGrowth: number;
  /** Sigma of the daily log-normal noise (median 1). */
  dailyNoise: number;
}

export class JobDemand {
  private readonly logGrowthPerDay: number;
  constructor(readonly params: JobDemandParams, private readonly regime: MarketRegime, private readonly rng: Rng) {
    this.logGrowthPerDay = log(1 + params.annualGrowth) / 365;
  }

  /** Fee volume for `day` (stable per day). */
  feesOnDay(day: number): number {
    const p = this.params;
    const noise = p.dailyNoise > 0 ? this.rng.lognormal(1, p.dailyNoise) : 1;
    return p.baseFeesPerDay * exp(this.logGrowthPerDay * day) * this.regime.current.demandMultiplier * noise;
  }
}
