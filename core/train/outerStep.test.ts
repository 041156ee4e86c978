import { describe, expect, test } from "bun:test";
import { DILOCO_OUTER, outerSgdStep, pseudoGradient } from "./outerStep.ts";

describe("DiLoCo pseudo-gradient", () => {
  test("is the global weights minus the mean of the replicas' weights", () => {
    const global = new Float32Array([1, 2]);
    // three replicas of 2 parameters: [0.5, 2.5], [1.5, 1.0], [0.25, 2.0]
    const replicas = new Float32Array([0.5, 2.5, 1.5, 1.0, 0.25, 2.0]);
    const out = new Float32Array(2);
    pseudoGradient(global, replicas, 2, [0, 1, 2], out);
    // mean = [0.75, 1.8333...]; delta = [0.25, 0.1666...]
    expect(out[0]).toBe(0.25);
    expect(out[1]).toBeCloseTo(2 - 5.5 / 3, 6);
  });
  test("averages only the contributing replicas", () => {
    const out = new Float32Array(1);
    pseudoGradient(new Float32Array([1]), new Float32Array([0, 10, 0.5]), 1, [0, 2], out);
    expect(out[0]).toBe(0.75);
  });
});

describe("outer SGD with Nesterov momentum (lr 0.7, momentum 0.9)", () => {
  test("two steps match the hand computation", () => {
    const theta = new Float32Array([1]);
    const buf = new Float32Array([0]);
    outerSgdStep(theta, new Float32Array([0.5]), buf, DILOCO_OUTER);
    // b = 0.5; step = 0.5 + 0.9*0.5 = 0.95; theta = 1 - 0.665 = 0.335
    expect(buf[0]).toBe(0.5);
    expect(theta[0]).toBeCloseTo(0.335, 6);
    outerSgdStep(theta, new Float32Array([0.5]), buf, DILOCO_OUTER);
    // b = 0.45 + 0.5 = 0.95; step = 0.5 + 0.855 = 1.355; theta = 0.335 - 0.9485 = -0.6135
    expect(buf[0]).toBeCloseTo(0.95, 6);
    expect(theta[0]).toBeCloseTo(-0.6135, 5);
  });
  test("with lr 1 and no momentum it sets theta to the replica mean (plain averaging)", () => {
    const global = new Float32Array([1, 1]);
    const reps = new Float32Array([3, 1, 1, 5]);
    const g = pseudoGradient(global, reps, 2, [0, 1], new Float32Array(2));
    outerSgdStep(global, g, new Float32Array(2), { lr: 1, momentum: 0, nesterov: true });
    expect(Array.from(global)).toEqual([2, 3]);
  });
});
