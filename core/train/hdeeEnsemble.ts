// HDEE ensembles (REFERENCE §8): how one domain's held-out examples are scored by all experts.
// Every method reads only logP[e][i] = log p_e(y_i | x_i), expert e's log-probability of example
// i's label, with examples in order and sequences of `sequenceLength` consecutive examples (one
// domain per sequence, as one document's tokens in gensyn-ai/hdee's eval_ensemble.py):
//   cached-prior    per example, posterior over experts = prior x likelihood of the sequence's
//                   preceding examples, mixing probabilities; the prior is cached from validation
//                   sequences (the reference's precompute_domain_prior, decay 0.3, 100 sequences);
//   uniform-prior   the same with a uniform prior;
//   log-average     -mean over experts of log p_e (the reference's simple_avg: log_softmax averaged,
//                   then nll_loss; not renormalized);
//   validation-softmax  fixed weights softmax(-validation loss / temperature) mixing probabilities.
import { exp, log } from "../des/math.ts";

export type EnsembleMethod = "cached-prior" | "uniform-prior" | "log-average" | "validation-softmax";

/** log sum_e exp(a_e), stable. */
export function logSumExp(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let e = 0; e < a.length; e++) if (a[e] > m) m = a[e];
  if (m === -Infinity) return -Infinity;
  let z = 0;
  for (let e = 0; e < a.length; e++) z += exp(a[e] - m);
  return m + log(z);
}

/** Ensemble weights of the experts on one domain: softmax(-validation loss / temperature). */
export function ensembleWeights(validationLoss: readonly number[], temperature: number): number[] {
  const best = Math.min(...validationLoss);
  const raw = validationLoss.map((l) => exp(-(l - best) / temperature));
  const z = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / z);
}

/**
 * The cached domain prior (log, normalized) from the first `maxSequences` sequences of a
 * validation set, as the reference's precompute_domain_prior: log prior starts at 0 for every
 * expert; after the n-th sequence (n = 1, 2, ..) with log posterior lp = log_softmax(sequence
 * log-likelihood + log prior), prior <- decay^n x prior + exp(lp) (unnormalized); at the end,
 * log_softmax(log prior).
 */
export function cachedLogPrior(logP: readonly Float64Array[], sequenceLength: number, maxSequences: number, decay: number): number[] {
  const E = logP.length;
  const n = logP[0].length;
  let logPrior = new Array<number>(E).fill(0);
  const ll = new Array<number>(E);
  let curDecay = 1;
  for (let start = 0, k = 0; start < n && k < maxSequences; start += sequenceLength, k++) {
    const end = Math.min(n, start + sequenceLength);
    for (let e = 0; e < E; e++) {
      let s = 0;
      for (let i = start; i < end; i++) s += logP[e][i];
      ll[e] = s + logPrior[e];
    }
    const z = logSumExp(ll);
    curDecay *= decay; // decay^(k+1) by products: no pow in the determinism path
    const m = Math.max(...logPrior);
    logPrior = logPrior.map((lp, e) => log(curDecay * exp(lp - m) + exp(ll[e] - z - m)) + m);
  }
  const z = logSumExp(logPrior);
  return logPrior.map((lp) => lp - z);
}

/** Posterior over experts for example t of the sequence starting at `start`: softmax(log prior + sum of logP over [start, t)). */
export function posteriorAt(logP: readonly Float64Array[], logPrior: readonly number[], start: number, t: number): number[] {
  const a = logPrior.map((lp, e) => {
    let s = lp;
    for (let i = start; i < t; i++) s += logP[e][i];
    return s;
  });
  const z = logSumExp(a);
  return a.map((x) => exp(x - z));
}

/**
 * Mean -log of the posterior mixture over all examples: example t scores
 * log sum_e post_e(t) p_e(y_t) = logsumexp(a + logP[., t]) - logsumexp(a), a = log prior + the
 * sequence's cumulative log-likelihood before t (the reference's cumsum of shifted log-probs).
 */
export function posteriorLoss(logP: readonly Float64Array[], logPrior: readonly number[], sequenceLength: number): number {
  const E = logP.length;
  const n = logP[0].length;
  const a = new Float64Array(E);
  const b = new Float64Array(E);
  let loss = 0;
  for (let t = 0; t < n; t++) {
    if (t % sequenceLength === 0) for (let e = 0; e < E; e++) a[e] = logPrior[e];
    for (let e = 0; e < E; e++) b[e] = a[e] + logP[e][t];
    loss -= logSumExp(b) - logSumExp(a);
    for (let e = 0; e < E; e++) a[e] = b[e];
  }
  return loss / n;
}

/** The reference's simple_avg: -mean over examples of the mean over experts of log p_e(y). */
export function logAverageLoss(logP: readonly Float64Array[]): number {
  const n = logP[0].length;
  let loss = 0;
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (const lp of logP) s += lp[t];
    loss -= s / logP.length;
  }
  return loss / n;
}

/** Fixed weights mixing probabilities: -mean log(sum_e w_e p_e(y)), floored at 1e-12. */
export function weightedMixtureLoss(logP: readonly Float64Array[], weights: readonly number[]): number {
  const n = logP[0].length;
  let loss = 0;
  for (let t = 0; t < n; t++) {
    let mix = 0;
    for (let e = 0; e < logP.length; e++) mix += weights[e] * exp(logP[e][t]);
    loss -= log(Math.max(mix, 1e-12));
  }
  return loss / n;
}

export interface EnsembleInputs {
  /** log p_e(y) on the domain's held-out examples, per expert. */
  heldOut: readonly Float64Array[];
  /** log p_e(y) on the domain's validation examples, per expert (cached prior, validation losses). */
  validation: readonly Float64Array[];
  sequenceLength: number;
  priorSequences: number;
  priorDecay: number;
  temperature: number;
}

/** Every method's held-out loss on one domain, and the weights each gives (prior or fixed). */
export function ensembleLosses(x: EnsembleInputs): { losses: Record<EnsembleMethod, number>; cachedPrior: number[]; validationWeights: number[] } {
  const E = x.heldOut.length;
  const prior = cachedLogPrior(x.validation, x.sequenceLength, x.priorSequences, x.priorDecay);
  const uniform = new Array<number>(E).fill(-log(E));
  const valLoss = x.validation.map((lp) => -lp.reduce((a, v) => a + v, 0) / lp.length);
  const weights = ensembleWeights(valLoss, x.temperature);
  return {
    losses: {
      "cached-prior": posteriorLoss(x.heldOut, prior, x.sequenceLength),
      "uniform-prior": posteriorLoss(x.heldOut, uniform, x.sequenceLength),
      "log-average": logAverageLoss(x.heldOut),
      "validation-softmax": weightedMixtureLoss(x.heldOut, weights),
    },
    cachedPrior: prior.map((lp) => exp(lp)),
    validationWeights: weights,
  };
}
