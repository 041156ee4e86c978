// Tests for float32 reproducible math: accuracy against Math.* and known values, repeatability.
import { describe, expect, test } from "bun:test";
import { Rng } from "../../des/rng.ts";
import { hashTensor, toHex } from "../hash.ts";
import { erf32, exp32, gelu32, geluErf32, geluGrad32, log32, rsqrt32, sigmoid32, sqrt32, tanh32 } from "./math32.ts";

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
function ordered(x: number): number {
  f32[0] = x;
  return i32[0] < 0 ? -0x80000000 - i32[0] : i32[0];
}
/** Distance in float32 ulps between two float32 values. */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(ordered(a) - ordered(b));
}

function inputs(seed: string, n: number, lo: number, hi: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Math.fround(rng.uniform(lo, hi)));
}

function maxUlps(fn: (x: number) => number, ref: (x: number) => number, xs: number[]): number {
  let worst = 0;
  for (const x of xs) worst = Math.max(worst, ulps(fn(x), Math.fround(ref(x))));
  return worst;
}

describe("accuracy against Math.* (float32 ulps)", () => {
  test("exp32 over [-87, 88]", () => {
    expect(maxUlps(exp32, Math.exp, inputs("exp", 20000, -87, 88))).toBeLessThanOrEqual(1);
  });
  test("log32 over tiny to huge", () => {
    const xs = inputs("log", 20000, -80, 80).map((e) => Math.fround(2 ** e));
    expect(maxUlps(log32, Math.log, xs)).toBeLessThanOrEqual(1);
  });
  test("tanh32 near zero and far out", () => {
    expect(maxUlps(tanh32, Math.tanh, inputs("tanh", 20000, -12, 12))).toBeLessThanOrEqual(1);
    expect(maxUlps(tanh32, Math.tanh, inputs("tanh-small", 5000, -1e-3, 1e-3))).toBeLessThanOrEqual(1);
  });
  test("sigmoid32, sqrt32, rsqrt32", () => {
    expect(maxUlps(sigmoid32, (x) => 1 / (1 + Math.exp(-x)), inputs("sig", 20000, -60, 60))).toBeLessThanOrEqual(1);
    expect(maxUlps(sqrt32, Math.sqrt, inputs("sqrt", 5000, 0, 1e6))).toBe(0);
    expect(maxUlps(rsqrt32, (x) => 1 / Math.sqrt(x), inputs("rsqrt", 5000, 1e-6, 1e6))).toBeLessThanOrEqual(1);
  });
  test("special values", () => {
    expect(exp32(0)).toBe(1);
    expect(exp32(100)).toBe(Infinity);
    expect(exp32(-200)).toBe(0);
    expect(log32(1)).toBe(0);
    expect(log32(0)).toBe(-Infinity);
    expect(Number.isNaN(log32(-1))).toBe(true);
    expect(tanh32(30)).toBe(1);
    expect(sigmoid32(0)).toBe(0.5);
  });
});

describe("erf32 and GELU", () => {
  test("erf32 matches published values to float32", () => {
    const table: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [3.5, 0.9999992569016276],
    ];
    for (const [x, v] of table) {
      expect(ulps(erf32(x), Math.fround(v))).toBeLessThanOrEqual(1);
      expect(erf32(-x)).toBe(-erf32(x));
    }
    expect(erf32(0)).toBe(0);
    expect(erf32(4.5)).toBe(1);
  });
  test("gelu32 (tanh form) agrees with its formula in Math.tanh and with the erf form to 1e-3", () => {
    for (const x of inputs("gelu", 5000, -8, 8)) {
      const ref = Math.fround(0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))));
      expect(Math.abs(gelu32(x) - ref)).toBeLessThanOrEqual(Math.abs(ref) * 2.4e-7 + Math.abs(x) * 1e-15);
      expect(Math.abs(gelu32(x) - geluErf32(x))).toBeLessThan(1e-3);
    }
    expect(gelu32(0)).toBe(0);
  });
  test("geluGrad32 matches a central finite difference of gelu in float64", () => {
    const g = (x: number) => 0.5 * x * (1 + Math.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
    for (const x of inputs("gelu-grad", 2000, -6, 6)) {
      const h = 1e-6;
      expect(geluGrad32(x)).toBeCloseTo((g(x + h) - g(x - h)) / (2 * h), 5);
    }
  });
});

describe("repeatability", () => {
  test("the same inputs give the same bytes (pinned hash)", () => {
    const xs = inputs("pin", 4096, -10, 10);
    const out = new Float32Array(xs.length * 7);
    xs.forEach((x, i) => {
      out.set([exp32(x), log32(Math.abs(x)), tanh32(x), erf32(x), sigmoid32(x), gelu32(x), geluGrad32(x)], i * 7);
    });
    const again = new Float32Array(out.length);
    xs.forEach((x, i) => {
      again.set([exp32(x), log32(Math.abs(x)), tanh32(x), erf32(x), sigmoid32(x), gelu32(x), geluGrad32(x)], i * 7);
    });
    expect(toHex(hashTensor(again))).toBe(toHex(hashTensor(out)));
    expect(toHex(hashTensor(out))).toBe("8a012cb359e34b1b2fb506cba10f567102667cd22e2f8038b5da893312d38cf2");
  });
});
