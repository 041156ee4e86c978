import { describe, expect, test } from "bun:test";
import { adamwStep, clipByGlobalNorm } from "./adamw.ts";

describe("AdamW", () => {
  test("the first step moves each weight by about lr against the gradient's sign (plus decay)", () => {
    const p = new Float32Array([1, -1]);
    const m = new Float32Array(2);
    const v = new Float32Array(2);
    adamwStep(p, new Float32Array([0.3, -2]), m, v, 1, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 0, weightDecay: 0.5 });
    // mhat = g, vhat = g^2 => step = sign(g); p = 1 - 0.1*(1 + 0.5*1) = 0.85; p = -1 - 0.1*(-1 - 0.5) = -0.85
    expect(p[0]).toBeCloseTo(0.85, 6);
    expect(p[1]).toBeCloseTo(-0.85, 6);
    expect(m[0]).toBeCloseTo(0.03, 7);
    expect(v[1]).toBeCloseTo(0.004, 7);
  });
  test("second step uses bias corrections 1-b^2", () => {
    const p = new Float32Array([0]);
    const m = new Float32Array(1);
    const v = new Float32Array(1);
    const cfg = { lr: 1, beta1: 0.5, beta2: 0.5, eps: 0, weightDecay: 0 };
    adamwStep(p, new Float32Array([1]), m, v, 1, cfg); // p = -1
    adamwStep(p, new Float32Array([-1]), m, v, 2, cfg);
    // m = 0.5*0.5 - 0.5 = -0.25 -> mhat = -0.25/0.75 = -1/3; v = 0.25+0.5 = 0.75 -> vhat = 1
    expect(p[0]).toBeCloseTo(-1 + 1 / 3, 6);
  });
});

describe("clipByGlobalNorm (the builtin engine's clip_grad_norm_)", () => {
  test("norm 5 clipped to 1 scales by 1 / (5 + 1e-6); a norm under the bound is untouched", () => {
    const g = Float32Array.of(3, 0, -4);
    expect(clipByGlobalNorm(g, 1)).toBe(5);
    expect(g[0]).toBeCloseTo(0.6, 6);
    expect(g[2]).toBeCloseTo(-0.8, 6);
    const h = Float32Array.of(0.3, 0.4);
    expect(clipByGlobalNorm(h, 1)).toBeCloseTo(0.5, 7);
    expect([...h]).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });
});
