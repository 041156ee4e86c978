// Wei conversions, basis points and the integer square root.
import { describe, expect, test } from "bun:test";
import { fromWei, mulBps, sqrtWei, toBps, toWei, WAD } from "./wei.ts";

describe("wei amounts", () => {
  test("whole and fractional tokens convert exactly to 1e-9", () => {
    expect(toWei(10_000_000_000)).toBe(10_000_000_000n * WAD);
    expect(toWei(0.1)).toBe(100_000_000_000_000_000n);
    expect(fromWei(1_500_000_000_000_000_000n)).toBe(1.5);
  });
  test("negative or non-finite amounts are rejected with the place named", () => {
    expect(() => toWei(-1, "pool.tokenLiquidity")).toThrow("pool.tokenLiquidity: expected a finite amount >= 0, got -1");
    expect(() => toBps(1.5, "burnShare")).toThrow("burnShare");
  });
  test("shares round to basis points and mulBps rounds down", () => {
    expect(toBps(0.7)).toBe(7000n);
    expect(mulBps(999n, 7000n)).toBe(699n);
  });
  test("sqrtWei is the exact floor square root on large values (many values)", () => {
    let n = 12345678901234567890123n;
    for (let i = 0; i < 500; i++) {
      n = (n * 6364136223846793005n + 1442695040888963407n) % 10n ** 56n;
      const r = sqrtWei(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
    expect(sqrtWei(10n ** 52n)).toBe(10n ** 26n);
    expect(sqrtWei(99n)).toBe(9n);
  });
});
