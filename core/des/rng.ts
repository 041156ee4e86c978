// Named, independent random streams derived from one root seed (DESIGN: Kernel).
// Each stream is seeded from (root seed, its name path) alone, so creating a stream or drawing
// from one never shifts another. seedrandom's Alea: identical draws in Node and Bun.
import seedrandom from "seedrandom";
import { ConfigError } from "../errors.ts";
import { exp, log, pow } from "./math.ts";

export type StreamKey = string | number;

export class Rng {
  readonly name: string;
  private readonly next: () => number;
  private spareNormal: number | null = null;

  constructor(seed: string) {
    this.name = seed;
    this.next = seedrandom.alea(seed) as unknown as () => number;
  }

  /** Uniform in [0, 1), 32 bits of randomness. */
  random(): number {
    return this.next();
  }
  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`rng.int(n) needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }
  /** true with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }
  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * log(1 - this.next());
  }
  /** Standard normal (Marsaglia polar method: only log and sqrt, both reproducible here). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * log(s)) / s);
    this.spareNormal = v * m;
    return mean + sd * u * m;
  }
  /** Log-normal with the given median and shape sigma. */
  lognormal(median: number, sigma: number): number {
    return median * exp(sigma * this.normal());
  }
  /** Weibull with scale and shape. */
  weibull(scale: number, shape: number): number {
    return scale * pow(-log(1 - this.next()), 1 / shape);
  }
  /** Pareto with minimum xm and tail index alpha. */
  pareto(xm: number, alpha: number): number {
    return xm / pow(1 - this.next(), 1 / alpha);
  }
  /** Gamma(shape k, scale 1) (Marsaglia-Tsang), for Dirichlet draws. */
  gamma(k: number): number {
    if (k < 1) return this.gamma(k + 1) * pow(this.next(), 1 / k);
    const d = k - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x = 0;
      let v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (log(u) < 0.5 * x * x + d * (1 - v + log(v))) return d * v;
    }
  }
  /** Dirichlet(alpha, ..., alpha) of dimension n. */
  dirichlet(alpha: number, n: number): number[] {
    const g = Array.from({ length: n }, () => this.gamma(alpha));
    const s = g.reduce((a, b) => a + b, 0);
    return g.map((x) => x / s);
  }
  /** Pick an index with the given (non-negative) weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

/** The family of streams of one run. */
export class RngStreams {
  readonly seed: number;
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new ConfigError(`seed must be a non-negative integer, got ${seed}`);
    this.seed = seed;
  }
  /** A fresh generator for a name path, e.g. stream("node", 17, "churn"). Same path, same draws. */
  stream(...path: StreamKey[]): Rng {
    if (path.length === 0) throw new ConfigError("stream() needs a name");
    return new Rng(`${this.seed}\u0000${path.map(String).join("\u0000")}`);
  }
}
