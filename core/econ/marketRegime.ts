// Market regimes (e.g. bull / bear / crisis): a seeded Markov chain switched once a day, each
// regime with its own price drift and volatility and a multiplier on job demand.
import { ConfigError } from "../errors.ts";
import type { Rng } from "../des/rng.ts";

export interface Regime {
  name: string;
  /** Annual log-drift of the fair token price. */
  drift: number;
  /** Annual volatility of the fair token price. */
  volatility: number;
  /** Multiplies the job fee volume while this regime holds. */
  demandMultiplier: number;
  /** Mean time spent in this regime before switching (days); 0 = never leave. */
  meanDays: number;
}

export class MarketRegime {
  index = 0;
  switches = 0;
  constructor(readonly regimes: readonly Regime[], private readonly rng: Rng) {
    if (regimes.length === 0) throw new ConfigError("price.regimes: need at least one regime");
  }

  get current(): Regime {
    return this.regimes[this.index];
  }

  /** Called once a day: leave the regime with probability 1/meanDays, to a uniformly drawn other one. */
  stepDay(): void {
    const r = this.current;
    const u = this.rng.random();
    if (this.regimes.length < 2 || r.meanDays <= 0) return;
    if (u < 1 / r.meanDays) {
      const k = this.rng.int(this.regimes.length - 1);
      this.index = k >= this.index ? k + 1 : k;
      this.switches++;
    }
  }
}
