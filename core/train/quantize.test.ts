import { describe, expect, test } from "bun:test";
import { quantizeInPlace, quantizedBytes } from "./quantize.ts";

describe("few-bit quantization of outer gradients", () => {
  test("4 bits: 7 levels per side, values snap to multiples of max/7", () => {
    const x = new Float32Array([0.875, -0.4375, 0.0625, 0.0]);
    quantizeInPlace(x, 4, 4);
    // scale = 0.125: 0.875 -> 7, -0.4375 -> -3.5 -> -4 (half away from zero), 0.0625 -> 0.5 -> 1
    expect(x[0]).toBe(0.875);
    expect(x[1]).toBe(-0.5);
    expect(x[2]).toBe(0.125);
    expect(x[3]).toBe(0);
  });
  test("blocks have their own scales", () => {
    const x = new Float32Array([1, 0.5, 0.01, 0.004]);
    quantizeInPlace(x, 2, 2); // 1 level per side: sign * block max
    expect(Array.from(x).map((v) => +v.toFixed(4))).toEqual([1, 1, 0.01, 0]);
  });
  test("error is at most half a step", () => {
    const x = Float32Array.from({ length: 64 }, (_, i) => Math.fround((i * 37) % 64 / 64 - 0.5));
    const err = quantizeInPlace(x, 4, 64);
    expect(err).toBeLessThanOrEqual(0.5 / 7 / 2 + 1e-7);
  });
  test("byte counts: 4 bits is 1/8 of float32 plus scales", () => {
    expect(quantizedBytes(1000, 32, 64)).toBe(4000);
    expect(quantizedBytes(1000, 4, 100)).toBe(500 + 40);
  });
});
