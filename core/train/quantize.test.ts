import { describe, expect, test } from "bun:test";
import { e3m0Magnitude, quantizeE3m0InPlace, quantizeFormatInPlace, quantizeInPlace, quantizedBytes } from "./quantize.ts";

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

describe("FP4 E3M0 (sign + 3 exponent bits; the Streaming DiLoCo paper's outer-gradient format)", () => {
  test("rounding table: magnitudes 0 and 2^-6..2^0 of the block max, nearest, ties away from zero", () => {
    // value / max -> E3M0 magnitude, by hand: thresholds at 0.75 x 2^k between 2^(k-1) and 2^k, and 2^-7 to zero.
    const table: [number, number][] = [
      [1, 1], [0.8, 1], [0.75, 1], [0.74, 0.5], [0.375, 0.5], [0.37, 0.25], [0.3, 0.25], [0.18, 0.125],
      [0.0234375, 0.03125], [0.023, 0.015625], [0.016, 0.015625], [0.0078125, 0.015625], [0.0078, 0], [0, 0],
    ];
    for (const [a, want] of table) expect([a, e3m0Magnitude(a)]).toEqual([a, want]);
  });
  test("a block quantizes against its own max, keeps signs, and every output is +-max x 2^-k or 0", () => {
    const x = Float32Array.of(-2, 1.6, -0.7, 0.3, 0.01, 0.03125, 0.02, -0.015);
    const err = quantizeE3m0InPlace(x, 8);
    expect([...x]).toEqual([-2, 2, -0.5, 0.25, 0, 0.03125, 0.03125, 0]); // -0.015 / 2 < 2^-7: zero
    expect(err).toBeCloseTo(0.4, 6); // 1.6 -> 2 (and -0.7 -> -0.5: 0.2)
  });
  test("formats: int keeps the uniform grid, e3m0 needs 4 bits, 32 bits is no quantization", () => {
    const a = Float32Array.of(0.875, -0.4375);
    quantizeFormatInPlace(a, "int", 4, 4);
    expect([...a]).toEqual([0.875, -0.5]);
    const b = Float32Array.of(0.875, -0.4375);
    quantizeFormatInPlace(b, "e3m0", 4, 4);
    expect([...b]).toEqual([0.875, -0.4375]); // max and max / 2
    expect(() => quantizeFormatInPlace(Float32Array.of(1), "e3m0", 8, 4)).toThrow(/e3m0 format has 4 bits, got bits 8/);
    const c = Float32Array.of(0.123);
    quantizeFormatInPlace(c, "e3m0", 32, 4);
    expect(c[0]).toBe(Math.fround(0.123));
  });
});
