import { describe, expect, test } from "bun:test";
import { exp, log, pow, tanh } from "./math.ts";
import { RngStreams } from "./rng.ts";

/** Distance in units of the last place between two doubles. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Number(buf.getBigInt64(0) - buf.getBigInt64(8));
}

describe("reproducible math", () => {
  const r = new RngStreams(11).stream("math");
  const xs = Array.from({ length: 20000 }, () => r.uniform(-700, 700));
  const ps = Array.from({ length: 20000 }, () => r.uniform(-300, 300)).map((e) => 10 ** (e / 10));

  test("exp is within 1 ulp of the platform's exp", () => {
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, Math.abs(ulps(exp(x), Math.exp(x))));
    expect(worst).toBeLessThanOrEqual(1);
  });

  test("log is within 1 ulp of the platform's log, including subnormals", () => {
    let worst = 0;
    for (const x of [...ps, 5e-324, 1e-310, 1, 2, Math.E]) worst = Math.max(worst, Math.abs(ulps(log(x), Math.log(x))));
    expect(worst).toBeLessThanOrEqual(1);
  });

  test("edge cases", () => {
    expect(exp(0)).toBe(1);
    expect(exp(1000)).toBe(Infinity);
    expect(exp(-1000)).toBe(0);
    expect(Number.isNaN(exp(NaN))).toBe(true);
    expect(log(0)).toBe(-Infinity);
    expect(Number.isNaN(log(-1))).toBe(true);
    expect(log(1)).toBe(0);
    expect(pow(2, 10)).toBe(1024);
    expect(pow(9, 0.5)).toBeCloseTo(3, 14);
    expect(tanh(0.5)).toBeCloseTo(Math.tanh(0.5), 15);
    expect(tanh(50)).toBe(1);
  });
});
