import { describe, expect, test } from "bun:test";
import { cachedLogPrior, ensembleLosses, ensembleWeights, logAverageLoss, posteriorAt, posteriorLoss, weightedMixtureLoss } from "./hdeeEnsemble.ts";

const lp = (...p: number[]) => Float64Array.from(p, (x) => Math.log(x));
// Two experts, three examples of one domain: expert A gives the labels 0.5, 0.6, 0.2; B 0.1, 0.1, 0.9.
const A = lp(0.5, 0.6, 0.2);
const B = lp(0.1, 0.1, 0.9);
const uniform = [Math.log(0.5), Math.log(0.5)];

describe("per-example domain posterior (the reference's eval_ensemble.py, REFERENCE §8)", () => {
  test("posterior weights after 0, 1 and 2 examples of a sequence, by hand", () => {
    // prior 1/2 each; after example 0: 0.5*0.5 : 0.5*0.1 = 5/6 : 1/6; after 1: 0.5*0.6 : 0.1*0.1 = 30/31 : 1/31
    expect(posteriorAt([A, B], uniform, 0, 0)).toEqual([0.5, 0.5]);
    const p1 = posteriorAt([A, B], uniform, 0, 1);
    expect(p1[0]).toBeCloseTo(5 / 6, 14);
    expect(p1[1]).toBeCloseTo(1 / 6, 14);
    const p2 = posteriorAt([A, B], uniform, 0, 2);
    expect(p2[0]).toBeCloseTo(30 / 31, 14);
    expect(p2[1]).toBeCloseTo(1 / 31, 14);
  });

  test("the posterior mixes probabilities; a new sequence starts again from the prior", () => {
    // one sequence of 3: mixtures 0.3, 5/6*0.6 + 1/6*0.1 = 31/60, 30/31*0.2 + 1/31*0.9 = 6.9/31
    expect(posteriorLoss([A, B], uniform, 3)).toBeCloseTo(-(Math.log(0.3) + Math.log(31 / 60) + Math.log(6.9 / 31)) / 3, 14);
    // sequences of 2: the third example is scored with the prior alone, 0.5*0.2 + 0.5*0.9 = 0.55
    expect(posteriorLoss([A, B], uniform, 2)).toBeCloseTo(-(Math.log(0.3) + Math.log(31 / 60) + Math.log(0.55)) / 3, 14);
  });

  test("a prior that is certain of one expert scores that expert alone", () => {
    expect(posteriorLoss([A, B], [0, -Infinity], 3)).toBeCloseTo(-(Math.log(0.5) + Math.log(0.6) + Math.log(0.2)) / 3, 14);
  });
});

describe("cached prior (the reference's precompute_domain_prior, decay 0.3)", () => {
  // Sequence 1: A 0.5*0.6 = 0.3, B 0.2*0.5 = 0.1 -> posterior 3/4, 1/4; prior <- 0.3 x 1 + posterior.
  // Sequence 2: A 0.2*0.5 = 0.1, B 0.6*0.5 = 0.3 with prior 1.05 : 0.55 -> posterior 7/18 : 11/18;
  //   prior <- 0.3^2 x (1.05, 0.55) + posterior.
  const a = lp(0.5, 0.6, 0.2, 0.5);
  const b = lp(0.2, 0.5, 0.6, 0.5);
  test("after one sequence: (0.3 + 3/4, 0.3 + 1/4) / 1.6", () => {
    const p = cachedLogPrior([a, b], 2, 1, 0.3).map(Math.exp);
    expect(p[0]).toBeCloseTo(1.05 / 1.6, 14);
    expect(p[1]).toBeCloseTo(0.55 / 1.6, 14);
  });
  test("after two sequences, the first one's share decays by 0.3^2", () => {
    const p = cachedLogPrior([a, b], 2, 100, 0.3).map(Math.exp);
    const raw = [0.09 * 1.05 + 7 / 18, 0.09 * 0.55 + 11 / 18];
    expect(p[0]).toBeCloseTo(raw[0] / (raw[0] + raw[1]), 14);
    expect(p[1]).toBeCloseTo(raw[1] / (raw[0] + raw[1]), 14);
    expect(p[0]).toBeCloseTo(0.422543, 6);
  });
});

describe("uniform average of log-probabilities (the reference's simple_avg) and fixed weights", () => {
  test("log-average: -mean over examples and experts of log p, by hand", () => {
    expect(logAverageLoss([A, B])).toBeCloseTo(-Math.log(0.5 * 0.1 * 0.6 * 0.1 * 0.2 * 0.9) / 6, 14);
  });
  test("fixed weights 3/4, 1/4 mix probabilities", () => {
    const mix = [0.75 * 0.5 + 0.25 * 0.1, 0.75 * 0.6 + 0.25 * 0.1, 0.75 * 0.2 + 0.25 * 0.9];
    expect(weightedMixtureLoss([A, B], [0.75, 0.25])).toBeCloseTo(-mix.reduce((s, m) => s + Math.log(m), 0) / 3, 14);
  });
  test("softmax of -validation loss / temperature, by hand", () => {
    // losses 1.0 and 1.0 + ln 3 * 0.5 at T = 0.5: raw weights 1 and 1/3 -> 0.75, 0.25
    const w = ensembleWeights([1.0, 1.0 + 0.5 * 1.0986122886681098], 0.5);
    expect(w[0]).toBeCloseTo(0.75, 12);
    expect(w[1]).toBeCloseTo(0.25, 12);
    expect(ensembleWeights([0.7, 0.7, 0.7, 0.7], 0.1)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

// An independent float64 implementation written as the reference's torch code reads (cumsum of
// shifted log-probs, softmax over experts, probabilities mixed), with Math.exp/log, on fixed
// pseudo-random log-probs: 4 experts, 53 examples, sequences of 7 (the last one short).
function naive(logP: Float64Array[], logPrior: number[], L: number): number {
  let loss = 0;
  for (let t = 0; t < logP[0].length; t++) {
    const start = t - (t % L);
    const a = logP.map((x, e) => logPrior[e] + x.slice(start, t).reduce((s, v) => s + v, 0));
    const m = Math.max(...a);
    const w = a.map((v) => Math.exp(v - m));
    const z = w.reduce((s, v) => s + v, 0);
    loss -= Math.log(w.reduce((s, v, e) => s + (v / z) * Math.exp(logP[e][t]), 0));
  }
  return loss / logP[0].length;
}
function naivePrior(logP: Float64Array[], L: number, maxSeq: number, decay: number): number[] {
  let prior = logP.map(() => 1);
  for (let k = 0; k * L < logP[0].length && k < maxSeq; k++) {
    const lik = logP.map((x, e) => Math.exp(x.slice(k * L, (k + 1) * L).reduce((s, v) => s + v, 0)) * prior[e]);
    const z = lik.reduce((s, v) => s + v, 0);
    prior = prior.map((p, e) => Math.pow(decay, k + 1) * p + lik[e] / z);
  }
  const z = prior.reduce((s, v) => s + v, 0);
  return prior.map((p) => p / z);
}

describe("against an independent float64 implementation", () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: posterior losses and cached prior agree to 1e-12`, () => {
      let s = seed;
      const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
      const logP = Array.from({ length: 4 }, () => Float64Array.from({ length: 53 }, () => Math.log(0.02 + 0.9 * rand())));
      const prior = naivePrior(logP, 7, 5, 0.3);
      const got = cachedLogPrior(logP, 7, 5, 0.3).map(Math.exp);
      got.forEach((p, e) => expect(p).toBeCloseTo(prior[e], 12));
      expect(posteriorLoss(logP, prior.map(Math.log), 7)).toBeCloseTo(naive(logP, prior.map(Math.log), 7), 12);
      const r = ensembleLosses({ heldOut: logP, validation: logP, sequenceLength: 7, priorSequences: 5, priorDecay: 0.3, temperature: 0.1 });
      expect(r.losses["cached-prior"]).toBeCloseTo(naive(logP, prior.map(Math.log), 7), 12);
      expect(r.losses["uniform-prior"]).toBeCloseTo(naive(logP, [0, 0, 0, 0], 7), 12);
    });
  }
});
