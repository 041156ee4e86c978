// Trader beliefs and pool prices (core/delphi/beliefs.ts) with real values.
import { describe, expect, test } from "bun:test";
import { poolPrices, posterior } from "./beliefs.ts";

describe("posterior", () => {
  test("softmax of s / sigma^2: a signal of [1, 0] at sigma 1 gives e / (e + 1)", () => {
    const p = posterior([1, 0], 1);
    expect(p[0]).toBeCloseTo(Math.E / (Math.E + 1), 12);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
  });
  test("sigma 0 puts all mass on the strongest signal", () => {
    expect(posterior([0.2, 0.9, 0.1], 0)).toEqual([0, 1, 0]);
  });
});

describe("poolPrices", () => {
  test("a balanced pool prices every outcome at 1/n; a scarcer outcome is dearer", () => {
    expect(poolPrices([10n, 10n, 10n, 10n])).toEqual([0.25, 0.25, 0.25, 0.25]);
    const [a, b] = poolPrices([500n, 1_500n]);
    expect(a).toBeCloseTo(0.75, 12);
    expect(b).toBeCloseTo(0.25, 12);
  });
});
