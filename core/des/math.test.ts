import { describe, expect, test } from "bun:test";
import { cos, exp, log, pow, tanh } from "./math.ts";
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

  test("cos matches float64 reference values (correctly rounded) and stays within 1 ulp of the platform's", () => {
    // Correctly rounded float64 values of cos (e.g. cos(1) = 0.54030230586813971740...).
    expect(cos(0)).toBe(1);
    expect(cos(1)).toBe(0.5403023058681398);
    expect(cos(-2)).toBe(-0.4161468365471424);
    expect(cos(3)).toBe(-0.9899924966004454);
    expect(cos(Math.PI)).toBe(-1);
    expect(cos(Math.PI / 3)).toBe(0.5000000000000001); // pi/3 rounded down in float64
    expect(cos(0.75 * Math.PI)).toBe(-0.7071067811865475);
    expect(Math.abs(cos(Math.PI / 2))).toBeLessThan(1e-16);
    expect(Number.isNaN(cos(Infinity))).toBe(true);
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, Math.abs(ulps(cos(x / 10), Math.cos(x / 10))) * (Math.abs(Math.cos(x / 10)) > 1e-3 ? 1 : 0));
    expect(worst).toBeLessThanOrEqual(1);
  });
});
