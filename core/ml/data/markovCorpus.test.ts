// The Markov corpus: its stationary law is stationary, and the exact entropy floor matches the
// oracle's loss measured on long samples.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { MarkovCorpus } from "./markovCorpus.ts";

describe("MarkovCorpus", () => {
  for (const order of [1, 2] as const) {
    test(`order ${order}: the window floor equals the oracle loss on 4000 windows within 0.02 nats (seed 9)`, () => {
      const streams = new RngStreams(9);
      const c = new MarkovCorpus({ vocab: 6, order, concentration: 0.3 }, streams.stream("corpus"));
      const w = c.sample(4000, 8, streams.stream("sample"));
      expect(Math.abs(c.oracleLoss(w, 8) - c.windowFloor(8))).toBeLessThan(0.02);
      expect(c.entropyRate()).toBeGreaterThan(0.3);
      expect(c.entropyRate()).toBeLessThan(1.7917594692280550);
    });
  }
  test("the stationary law is a fixed point of the transition", () => {
    const c = new MarkovCorpus({ vocab: 4, order: 2, concentration: 0.5 }, new RngStreams(2).stream("c"));
    const next = new Float64Array(16);
    for (let s = 0; s < 16; s++) for (let j = 0; j < 4; j++) next[(s % 4) * 4 + j] += c.stationary[s] * c.transition[s * 4 + j];
    for (let s = 0; s < 16; s++) expect(next[s]).toBeCloseTo(c.stationary[s], 12);
    expect(c.stationary.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
  test("targets are the inputs shifted by one", () => {
    const c = new MarkovCorpus({ vocab: 5, order: 2, concentration: 1 }, new RngStreams(3).stream("c"));
    const w = c.sample(3, 6, new RngStreams(3).stream("s"));
    for (let i = 0; i < 3; i++) for (let p = 1; p < 6; p++) expect(w.tokens[i * 6 + p]).toBe(w.targets[i * 6 + p - 1]);
  });
  test("a bad config is refused with its values", () => {
    expect(() => new MarkovCorpus({ vocab: 1, order: 2, concentration: 1 }, new RngStreams(1).stream("c"))).toThrow(/"vocab":1/);
  });
});
