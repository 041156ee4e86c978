// Synthetic language corpus with a KNOWN entropy floor (DESIGN: Learning): an order-k Markov
// source over a small vocabulary whose transition rows are Dirichlet(concentration) draws
// (small concentration = peaked, learnable rows). Its entropy rate and the best achievable
// mean loss on finite windows are computed exactly (float64, reproducible log).
import { log } from "../../des/math.ts";
import type { Rng } from "../../des/rng.ts";
import { ConfigError } from "../../errors.ts";

export interface MarkovCorpusConfig {
  vocab: number;
  /** Markov order: the next token depends on the previous `order` tokens (1 or 2). */
  order: 1 | 2;
  /** Dirichlet concentration of each transition row. */
  concentration: number;
}

/** Entropy in nats of a distribution given by non-negative weights summing to `total`. */
function entropy(p: ArrayLike<number>, offset: number, n: number, total = 1): number {
  let h = 0;
  for (let j = 0; j < n; j++) {
    const q = p[offset + j] / total;
    if (q > 0) h -= q * log(q);
  }
  return h;
}

export interface TokenWindows {
  /** [n, T] input ids. */
  tokens: Float32Array;
  /** [n, T] next-token ids (inputs shifted by one). */
  targets: Float32Array;
}

export class MarkovCorpus {
  readonly cfg: MarkovCorpusConfig;
  readonly states: number;
  /** [states, vocab] transition probabilities; state = last `order` tokens, oldest first. */
  readonly transition: Float64Array;
  /** Stationary distribution over states. */
  readonly stationary: Float64Array;

  constructor(cfg: MarkovCorpusConfig, rng: Rng) {
    if (!(Number.isSafeInteger(cfg.vocab) && cfg.vocab >= 2 && (cfg.order === 1 || cfg.order === 2) && cfg.concentration > 0)) {
      throw new ConfigError(`MarkovCorpus: bad config ${JSON.stringify(cfg)}`);
    }
    this.cfg = cfg;
    const V = cfg.vocab;
    this.states = cfg.order === 1 ? V : V * V;
    this.transition = new Float64Array(this.states * V);
    // Mix in a small uniform floor so the chain is ergodic and every context appears.
    for (let s = 0; s < this.states; s++) {
      const row = rng.dirichlet(cfg.concentration, V);
      for (let j = 0; j < V; j++) this.transition[s * V + j] = 0.98 * row[j] + 0.02 / V;
    }
    this.stationary = this.solveStationary();
  }

  private next(state: number, token: number): number {
    return this.cfg.order === 1 ? token : (state % this.cfg.vocab) * this.cfg.vocab + token;
  }

  /** Power iteration from uniform, a fixed number of sweeps (deterministic). */
  private solveStationary(): Float64Array {
    const V = this.cfg.vocab;
    let pi = new Float64Array(this.states).fill(1 / this.states);
    for (let it = 0; it < 2000; it++) {
      const nx = new Float64Array(this.states);
      for (let s = 0; s < this.states; s++) for (let j = 0; j < V; j++) nx[this.next(s, j)] += pi[s] * this.transition[s * V + j];
      pi = nx;
    }
    return pi;
  }

  /** Entropy rate H(X_t | past) in nats per token: the floor of any next-token predictor. */
  entropyRate(): number {
    let h = 0;
    for (let s = 0; s < this.states; s++) h += this.stationary[s] * entropy(this.transition, s * this.cfg.vocab, this.cfg.vocab);
    return h;
  }

  /**
   * Best achievable mean loss on windows of `context` inputs predicting the next token at each
   * position: position p sees p + 1 tokens, so the first positions of an order-2 source pay
   * H(X_1 | X_0) instead of the entropy rate.
   */
  windowFloor(context: number): number {
    const rate = this.entropyRate();
    if (this.cfg.order === 1) return rate;
    const V = this.cfg.vocab;
    // Stationary pair (a, b) = state; H(X1 | X0) = H(a, b) - H(a).
    const marg = new Float64Array(V);
    for (let s = 0; s < this.states; s++) marg[Math.floor(s / V)] += this.stationary[s];
    const first = entropy(this.stationary, 0, this.states) - entropy(marg, 0, V);
    return (first + (context - 1) * rate) / context;
  }

  /**
   * Mean loss of the exact Bayes predictor on these windows (the floor measured on the same
   * sample, free of sampling noise): -log P(target | all inputs seen so far in the window).
   */
  oracleLoss(w: TokenWindows, context: number): number {
    const V = this.cfg.vocab;
    let total = 0;
    for (let i = 0; i < w.tokens.length; i++) {
      const p = i % context;
      const tok = w.tokens[i];
      const tgt = w.targets[i];
      let prob: number;
      if (this.cfg.order === 1) prob = this.transition[tok * V + tgt];
      else if (p > 0) prob = this.transition[(w.tokens[i - 1] * V + tok) * V + tgt];
      else {
        // Only x0 seen: average over the unseen previous token under the stationary law.
        let num = 0;
        let den = 0;
        for (let a = 0; a < V; a++) {
          const pa = this.stationary[a * V + tok];
          num += pa * this.transition[(a * V + tok) * V + tgt];
          den += pa;
        }
        prob = num / den;
      }
      total -= log(prob);
    }
    return total / w.tokens.length;
  }

  /** n windows of `context` tokens, each starting from a stationary state. */
  sample(n: number, context: number, rng: Rng): TokenWindows {
    const V = this.cfg.vocab;
    const tokens = new Float32Array(n * context);
    const targets = new Float32Array(n * context);
    const pi = Array.from(this.stationary);
    const row = new Array<number>(V);
    for (let i = 0; i < n; i++) {
      let s = rng.weighted(pi);
      let prev = s % V;
      for (let p = 0; p < context; p++) {
        for (let j = 0; j < V; j++) row[j] = this.transition[s * V + j];
        const tok = rng.weighted(row);
        tokens[i * context + p] = prev;
        targets[i * context + p] = tok;
        s = this.next(s, tok);
        prev = tok;
      }
    }
    return { tokens, targets };
  }
}
