// Distributions of durations (churn up/down times, delays), in integer microseconds.
// Sampling needs only uniform and normal draws (a kernel Rng or a CounterStream view) and the
// reproducible math of core/des/math.ts.
import { exp, log, pow } from "../des/math.ts";
import type { Draws } from "./counterStream.ts";
import { ConfigError } from "../errors.ts";

export type DurationDistribution =
  | { dist: "constant"; value: number }
  | { dist: "exponential"; mean: number }
  | { dist: "weibull"; scale: number; shape: number }
  | { dist: "lognormal"; median: number; sigma: number }
  | { dist: "pareto"; min: number; alpha: number }
  | { dist: "uniform"; min: number; max: number };

/** One draw, rounded to whole microseconds and at least 1 (a state always lasts a moment). */
export function sampleDurationUs(rng: Draws, d: DurationDistribution): number {
  let x: number;
  switch (d.dist) {
    case "constant":
      x = d.value;
      break;
    case "exponential":
      x = -d.mean * log(1 - rng.random());
      break;
    case "weibull":
      x = d.scale * pow(-log(1 - rng.random()), 1 / d.shape);
      break;
    case "lognormal":
      x = d.median * exp(d.sigma * rng.normal());
      break;
    case "pareto":
      x = d.min / pow(1 - rng.random(), 1 / d.alpha);
      break;
    case "uniform":
      x = d.min + (d.max - d.min) * rng.random();
      break;
    default:
      throw new ConfigError(`unknown distribution ${JSON.stringify(d)}`);
  }
  // Cap at ~100 years so heavy tails never overflow the clock.
  const us = Math.round(Math.min(x, 3.15e15));
  return us < 1 ? 1 : us;
}

/** ln Gamma(x) for x > 0: Stirling series after shifting x above 7 (error < 1e-12). */
export function lnGamma(x: number): number {
  let shift = 0;
  while (x < 7) {
    shift += log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
  return (x - 0.5) * log(x) - x + 0.9189385332046728 + series - shift;
}

/** Mean of the distribution in microseconds (Infinity for a Pareto with alpha <= 1). */
export function meanDurationUs(d: DurationDistribution): number {
  switch (d.dist) {
    case "constant":
      return d.value;
    case "exponential":
      return d.mean;
    case "weibull":
      return d.scale * exp(lnGamma(1 + 1 / d.shape));
    case "lognormal":
      return d.median * exp((d.sigma * d.sigma) / 2);
    case "pareto":
      return d.alpha <= 1 ? Infinity : (d.alpha * d.min) / (d.alpha - 1);
    case "uniform":
      return (d.min + d.max) / 2;
  }
}
