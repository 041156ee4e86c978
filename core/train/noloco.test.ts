import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { meanPairwiseDistance, nolocoGroupUpdate, pairRanks, replicaWeightStd } from "./noloco.ts";

describe("NoLoCo pairing", () => {
  test("pairs every rank exactly once, seeded by the step", () => {
    const s = new RngStreams(1);
    const ranks = Array.from({ length: 10 }, (_, i) => i);
    const a = pairRanks(ranks, 50, s);
    expect(a.length).toBe(5);
    expect(a.flat().sort((x, y) => x - y)).toEqual(ranks);
    expect(pairRanks(ranks, 50, new RngStreams(1))).toEqual(a);
    const others = [100, 150, 200, 250].map((st) => JSON.stringify(pairRanks(ranks, st, s)));
    expect(others.some((o) => o !== JSON.stringify(a))).toBe(true);
  });
  test("an odd count puts three ranks in one group", () => {
    const g = pairRanks([4, 2, 9], 0, new RngStreams(3));
    expect(g.length).toBe(1);
    expect(g[0]).toEqual([2, 4, 9]);
  });
});

describe("NoLoCo update (REFERENCE §5)", () => {
  test("one pair, one parameter, computed by hand", () => {
    // rank 0: theta 1.0, phi 0.5, m 0.1; rank 1: theta 2.0, phi 1.5, m -0.2; alpha 0.5, beta 0.5
    const theta = new Float32Array([1.0, 2.0]);
    const phi = new Float32Array([0.5, 1.5]);
    const m = new Float32Array([0.1, -0.2]);
    nolocoGroupUpdate([0, 1], theta, phi, m, 1, 0.5, 0.5);
    // mean(theta - phi) = 0.5, mean(phi) = 1.0
    // m0 = 0.05 + 0.25 + 0.5*(1.0 - 0.5) = 0.55 ; phi0 = 1.05
    // m1 = -0.1 + 0.25 + 0.5*(1.0 - 1.5) = -0.1 ; phi1 = 1.4
    expect(m[0]).toBeCloseTo(0.55, 6);
    expect(m[1]).toBeCloseTo(-0.1, 6);
    expect(phi[0]).toBeCloseTo(1.05, 6);
    expect(phi[1]).toBeCloseTo(1.4, 6);
    expect(Array.from(theta)).toEqual(Array.from(phi));
  });
  test("leaves ranks outside the group untouched", () => {
    const theta = new Float32Array([1, 2, 7]);
    const phi = new Float32Array([0, 0, 3]);
    const m = new Float32Array(3);
    nolocoGroupUpdate([0, 1], theta, phi, m, 1, 0.7, 0.5);
    expect(theta[2]).toBe(7);
    expect(phi[2]).toBe(3);
    // equal slow weights, mean drift 1.5: m = 0.7*1.5 = 1.05 for both
    expect(phi[0]).toBeCloseTo(1.05, 6);
    expect(phi[1]).toBeCloseTo(1.05, 6);
  });
});

describe("NoLoCo groups of other sizes", () => {
  test("groups of 4 over 10 ranks: 4 + 6 (the 2 left over join the last group); size 2 is the default", () => {
    const ranks = Array.from({ length: 10 }, (_, i) => i);
    const g = pairRanks(ranks, 100, new RngStreams(2), 4);
    expect(g.map((x) => x.length).sort()).toEqual([4, 6]);
    expect(g.flat().sort((a, b) => a - b)).toEqual(ranks);
    expect(pairRanks(ranks, 100, new RngStreams(2))).toEqual(pairRanks(ranks, 100, new RngStreams(2), 2));
  });
  test("one group of everyone: equal slow weights take a plain momentum step on the mean drift", () => {
    // theta 1, 2, 3; phi 0 for all; alpha 0.7, beta 0.5, m 0.2: m = 0.1 + 0.7*2 = 1.5; phi = 1.5.
    const theta = new Float32Array([1, 2, 3]);
    const phi = new Float32Array(3);
    const m = new Float32Array([0.2, 0.2, 0.2]);
    nolocoGroupUpdate([0, 1, 2], theta, phi, m, 1, 0.7, 0.5);
    for (let k = 0; k < 3; k++) {
      expect(m[k]).toBeCloseTo(1.5, 6);
      expect(phi[k]).toBeCloseTo(1.5, 6);
      expect(theta[k]).toBeCloseTo(1.5, 6);
    }
  });
});

describe("replica drift", () => {
  test("mean L2 distance over every pair, by hand, whole vector and a range", () => {
    // Three replicas of 2 parameters: (0, 0), (3, 4), (0, 4): distances 5, 4, 3.
    const p = new Float32Array([0, 0, 3, 4, 0, 4]);
    expect(meanPairwiseDistance(p, 2, [0, 1, 2])).toBe(4);
    expect(meanPairwiseDistance(p, 2, [0, 1, 2], 1, 2)).toBeCloseTo(8 / 3, 12); // |0-4|, |0-4|, |4-4|
    expect(meanPairwiseDistance(p, 2, [2])).toBe(0);
  });

  test("the reference's weight std by hand: RMS distance to the replicas' mean", () => {
    // Means (1, 8/3); squared deviations 1 + 4 + 1 on the first parameter, 64/9 + 16/9 + 16/9 on the second.
    const p = new Float32Array([0, 0, 3, 4, 0, 4]);
    expect(replicaWeightStd(p, 2, [0, 1, 2])).toBeCloseTo(Math.sqrt((6 + 96 / 9) / 6), 12);
    expect(replicaWeightStd(p, 2, [1])).toBe(0);
  });
});
