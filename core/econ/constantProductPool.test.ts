import { describe, expect, test } from "bun:test";
import { amountIn, amountOut, ConstantProductPool, maxStableInForSlippage } from "./constantProductPool.ts";
import { WAD } from "./wei.ts";

const HOUR = 3_600_000_000;

describe("ConstantProductPool", () => {
  test("Uniswap V2 amountOut with a 0.3% fee", () => {
    // 1000 in against 1e6/1e6 reserves: 1000*9970*1e6 / (1e6*10000 + 1000*9970) = 996
    expect(amountOut(1000n, 1_000_000n, 1_000_000n, 30n)).toBe(996n);
    expect(amountIn(996n, 1_000_000n, 1_000_000n, 30n)).toBeLessThanOrEqual(1000n);
    expect(amountOut(amountIn(996n, 1_000_000n, 1_000_000n, 30n), 1_000_000n, 1_000_000n, 30n)).toBeGreaterThanOrEqual(996n);
  });

  test("buying moves the price up and never lowers k", () => {
    const pool = new ConstantProductPool(1_000_000n * WAD, 100_000n * WAD, 30n);
    const k0 = pool.tokenReserve * pool.stableReserve;
    const p0 = pool.spotPrice();
    const out = pool.swapStableForToken(HOUR, 1_000n * WAD);
    expect(out).toBe(9_871_580_343_970_612_988_504n);
    expect(pool.spotPrice()).toBeGreaterThan(p0);
    expect(pool.tokenReserve * pool.stableReserve).toBeGreaterThanOrEqual(k0);
  });

  test("a swap below the minimum output reverts", () => {
    const pool = new ConstantProductPool(1_000_000n * WAD, 100_000n * WAD, 30n);
    expect(() => pool.swapStableForToken(0, 1_000n * WAD, 10_000n * WAD)).toThrow("slippage");
  });

  test("TWAP weights each price by how long it held", () => {
    const pool = new ConstantProductPool(1_000_000n * WAD, 100_000n * WAD, 0n);
    // price 0.1 for one hour, then ~0.121 after a buy; TWAP over 2 h is the average.
    pool.swapStableForToken(HOUR, 10_000n * WAD);
    const p1 = pool.spotPrice();
    expect(pool.twap(2 * HOUR, 2 * HOUR)).toBeCloseTo((0.1 + p1) / 2, 12);
    expect(pool.twap(2 * HOUR, HOUR / 2)).toBeCloseTo(p1, 12);
    expect(pool.twap(2 * HOUR, 4 * HOUR)).toBeCloseTo((0.1 + p1) / 2, 12);
  });

  test("the slippage bound is tight: at the maximum input the execution price is within it", () => {
    const S = 100_000n * WAD;
    const T = 1_000_000n * WAD;
    for (const [fee, slip] of [[30n, 500n], [0n, 100n], [100n, 300n]] as const) {
      const x = maxStableInForSlippage(S, fee, slip);
      const expected = (x * T) / S;
      const out = amountOut(x, S, T, fee);
      expect(out * 10_000n).toBeGreaterThanOrEqual(expected * (10_000n - slip) - 10_000n);
      const more = x + x / 100n;
      expect(amountOut(more, S, T, fee) * 10_000n).toBeLessThan(((more * T) / S) * (10_000n - slip));
    }
    expect(maxStableInForSlippage(S, 30n, 30n)).toBe(0n);
  });
});
