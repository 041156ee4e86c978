import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { CLIP_HIGH, CLIP_LOW, clipCoefficient, fillTrainFeeds, groupAdvantages, zeroAdvantage } from "./grpo.ts";
import { selectExternal, type Candidate } from "./selection.ts";
import { instability } from "./swarmStats.ts";

describe("GRPO pieces", () => {
  test("advantages: (r - mean) / (unbiased std + 1e-8) per group", () => {
    const a = groupAdvantages([1, 0, 0, 1]);
    // mean 0.5, unbiased std sqrt(1/3) = 0.57735
    expect(a[0]).toBeCloseTo(0.866025, 5);
    expect(a[1]).toBeCloseTo(-0.866025, 5);
    expect(groupAdvantages([1, 1, 1])).toEqual([0, 0, 0]);
    expect(zeroAdvantage([0.5, 0.5])).toBe(true);
    expect(zeroAdvantage([0.5, 1])).toBe(false);
  });
  test("clip: gradient A * ratio inside [1 - 0.2, 1 + 0.28], 0 where the clipped term is the minimum", () => {
    expect(clipCoefficient(2, 1)).toBe(2);
    expect(clipCoefficient(2, 1 + CLIP_HIGH + 0.1)).toBe(0); // positive advantage, ratio too high
    expect(clipCoefficient(2, 0.5)).toBe(1); // positive advantage, ratio low: unclipped term is the min
    expect(clipCoefficient(-2, 1 - CLIP_LOW - 0.1)).toBe(0); // negative advantage, ratio too low
    expect(clipCoefficient(-2, 1.5)).toBe(-3);
  });
  test("feeds: weights on completion targets only, token mean scaling, padding rows zero", () => {
    const out = { tokens: new Float32Array(2 * 4), targets: new Float32Array(2 * 4), weights: new Float32Array(2 * 4) };
    fillTrainFeeds([{ prompt: [1, 2], completion: [3, 4], advantage: 0.5 }], 2, 4, 9, out, 0);
    expect(Array.from(out.tokens)).toEqual([1, 2, 3, 9, 9, 9, 9, 9]);
    expect(Array.from(out.targets)).toEqual([2, 3, 4, 9, 9, 9, 9, 9]);
    // 2 completion tokens over B*T = 8 positions: each weight 0.5 * 8 / 2 = 2.
    expect(Array.from(out.weights)).toEqual([0, 2, 2, 0, 0, 0, 0, 0]);
  });
  test("instability counts drops of the moving average", () => {
    expect(instability([0, 1, 0, 1, 0, 1], 2)).toEqual({ drops: 0, downward: 0 });
    expect(instability([1, 1, 0, 0, 1, 1], 2)).toEqual({ drops: 2, downward: 1 });
  });
});

const cand = (peer: string, rewards: number[], reward = 0): Candidate => ({ payload: { peer, round: 0, index: 0, question: "a1+1=", answer: "2", reward, completions: rewards.map(() => "2.") }, rewards });

describe("external selection rules", () => {
  const cs = [cand("p3", [1, 1]), cand("p1", [0, 0], 9), cand("p2", [1, 0], 1), cand("p4", [0.5, 0], 5)];
  const rng = () => new RngStreams(3).stream("sel");
  test("uniform drops zero-advantage groups", () => {
    const got = selectExternal("uniform", cs, 4, rng()).map((c) => c.payload.peer).sort();
    expect(got).toEqual(["p2", "p4"]);
  });
  test("reward-sorted drops zero reward and keeps the top J", () => {
    expect(selectExternal("reward-sorted", cs, 2, rng()).map((c) => c.payload.peer)).toEqual(["p3", "p2"]);
  });
  test("first-valid takes sorted peer-id order", () => {
    expect(selectExternal("first-valid", cs, 3, rng()).map((c) => c.payload.peer)).toEqual(["p1", "p2", "p3"]);
  });
  test("top-k-reward ranks peers by self-reported reward", () => {
    expect(selectExternal("top-k-reward", cs, 2, rng()).map((c) => c.payload.peer)).toEqual(["p1", "p4"]);
  });
  test("J = 0 or no candidates gives nothing", () => {
    expect(selectExternal("uniform", cs, 0, rng())).toEqual([]);
    expect(selectExternal("first-valid", [], 3, rng())).toEqual([]);
  });
});
