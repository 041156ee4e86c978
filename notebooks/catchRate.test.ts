// The catch-rate notebook's statistics: the Wilson interval and the pooling of seeds per rate.
import { describe, expect, test } from "bun:test";
import { Spread } from "./seedSpread.ts";
import { pooled, RATES, ROUNDS, wilson } from "./catchRate.ts";

describe("wilson", () => {
  test("matches the textbook values: 226 of 256 gives 0.838-0.917, 0 of 10 gives 0-0.278", () => {
    const a = wilson(226, 256);
    expect(a.lo).toBeCloseTo(0.8376, 4);
    expect(a.hi).toBeCloseTo(0.9167, 4);
    const b = wilson(0, 10);
    expect(b.lo).toBe(0);
    expect(b.hi).toBeCloseTo(0.2775, 4);
  });
});

describe("pooled", () => {
  test("sums liars and catches over seeds and tests the analytic 1-(1-p)^k against the interval", () => {
    const values = new Map<string, { seed: number; value: number | null }[]>();
    for (const p of RATES) {
      values.set(`p=${p}: liars`, [{ seed: 1, value: 16 }, { seed: 2, value: 16 }]);
      // Far too many catches at the lowest rate, about right elsewhere.
      const caught = p === RATES[0] ? 32 : Math.round(32 * (1 - (1 - p) ** ROUNDS));
      values.set(`p=${p}: liars caught`, [{ seed: 1, value: caught - Math.floor(caught / 2) }, { seed: 2, value: Math.floor(caught / 2) }]);
    }
    const rows = pooled(new Spread(values));
    expect(rows.map((r) => r.liars)).toEqual(RATES.map(() => 32));
    expect(rows[0]).toMatchObject({ caught: 32, rate: 1, inside: false });
    expect(rows.slice(1).every((r) => r.inside)).toBe(true);
  });
});
