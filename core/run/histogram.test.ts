// Histogram: bounded-error quantiles with integer-only bucketing.
import { describe, expect, test } from "bun:test";
import { Histogram } from "./histogram.ts";

describe("Histogram", () => {
  test("small values are exact", () => {
    const h = new Histogram();
    for (const x of [1, 2, 3, 4, 5]) h.add(x);
    expect(h.quantile(0.5)).toBe(3);
    expect(h.quantile(1)).toBe(5);
    expect(h.mean).toBe(3);
  });
  test("quantiles of 1..100000 are within 6.25% of the truth", () => {
    const h = new Histogram();
    for (let x = 1; x <= 100_000; x++) h.add(x);
    for (const q of [0.5, 0.9, 0.99]) {
      expect(Math.abs(h.quantile(q) / (q * 100_000) - 1)).toBeLessThan(0.0625);
    }
  });
  test("empty histogram has NaN quantiles; merge adds counts", () => {
    const a = new Histogram();
    expect(a.quantile(0.5)).toBeNaN();
    const b = new Histogram();
    b.add(10);
    a.merge(b);
    expect(a.count).toBe(1);
    expect(a.quantile(0.5)).toBe(10);
  });
});
