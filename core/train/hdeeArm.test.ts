import { describe, expect, test } from "bun:test";
import { allocate, ensembleWeights } from "./hdeeArm.ts";
import { runArm, trainTestContext } from "./trainTestWorld.ts";

const domains = [
  { name: "a", teacherHidden: 2, sharpness: 4, weight: 1 },
  { name: "b", teacherHidden: 8, sharpness: 4, weight: 1 },
  { name: "c", teacherHidden: 32, sharpness: 4, weight: 2 },
];

describe("HDEE allocation at equal compute (REFERENCE §8)", () => {
  test("iterations in proportion to domain weight, same total steps", () => {
    // shares = weight * 3 / 4 = 0.75, 0.75, 1.5
    expect(allocate({ allocation: "iterations", steps: 100, hidden: 32, domains })).toEqual({ steps: [75, 75, 150], hidden: [32, 32, 32] });
  });
  test("size: hidden width in proportion (training FLOPs scale with width)", () => {
    expect(allocate({ allocation: "size", steps: 100, hidden: 32, domains })).toEqual({ steps: [100, 100, 100], hidden: [24, 24, 48] });
  });
  test("equal: the homogeneous ensemble", () => {
    expect(allocate({ allocation: "equal", steps: 100, hidden: 32, domains })).toEqual({ steps: [100, 100, 100], hidden: [32, 32, 32] });
  });
});

describe("ensemble weights", () => {
  test("softmax of -validation loss / temperature, by hand", () => {
    // losses 1.0 and 1.0 + ln 3 * 0.5 at T = 0.5: raw weights 1 and 1/3 -> 0.75, 0.25
    const w = ensembleWeights([1.0, 1.0 + 0.5 * 1.0986122886681098], 0.5);
    expect(w[0]).toBeCloseTo(0.75, 12);
    expect(w[1]).toBeCloseTo(0.25, 12);
  });
  test("equal losses share equally", () => {
    expect(ensembleWeights([0.7, 0.7, 0.7, 0.7], 0.1)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe("HDEE at equal training compute", () => {
  test("equal, iterations and size allocations spend the same proxy training FLOPs", () => {
    const task = { poolSize: 256, heldOutSize: 64, inputs: 8 };
    const doms = [{ name: "easy", teacherHidden: 2, weight: 1 }, { name: "mid", teacherHidden: 8, weight: 2 }, { name: "hard", teacherHidden: 32, weight: 3 }];
    const flops = (allocation: string) => runArm(trainTestContext(4), { kind: "hdee", allocation, steps: 24, hidden: 12, batch: 8, task, validationSize: 64, domains: doms }).s.proxyTrainFlops as number;
    const equal = flops("equal");
    expect(equal).toBeGreaterThan(0);
    expect(flops("iterations")).toBe(equal);
    expect(flops("size")).toBe(equal);
  });
});
