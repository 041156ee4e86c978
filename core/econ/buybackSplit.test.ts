import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/index.ts";
import { buybackSplit } from "./buybackSplit.ts";
import { WAD } from "./wei.ts";

describe("buybackSplit (REFERENCE §9)", () => {
  test("1% executor, 70% of the rest burned: 69.3% burned, 29.7% to the treasury", () => {
    const parts = buybackSplit(1_000_000n * WAD, { executorBps: 100n, burnBps: 7000n });
    expect(parts.executor).toBe(10_000n * WAD);
    expect(parts.burn).toBe(693_000n * WAD);
    expect(parts.treasury).toBe(297_000n * WAD);
  });

  test("the three parts always sum to the tokens bought (many amounts and shares)", () => {
    const rng = new RngStreams(9).stream("split");
    for (let i = 0; i < 2000; i++) {
      const bought = BigInt(Math.floor(rng.random() * 1e15)) * BigInt(1 + rng.int(1_000_000)) + BigInt(rng.int(7));
      const shares = { executorBps: BigInt(rng.int(10_001)), burnBps: BigInt(rng.int(10_001)) };
      const p = buybackSplit(bought, shares);
      expect(p.executor + p.burn + p.treasury).toBe(bought);
      expect(p.treasury >= 0n && p.burn >= 0n && p.executor >= 0n).toBe(true);
    }
  });

  test("fixed-input twin: executor and burn round down, the treasury takes the remainder", () => {
    expect(buybackSplit(999n, { executorBps: 100n, burnBps: 7000n })).toEqual({ executor: 9n, burn: 693n, treasury: 297n });
  });

  test("shares out of range are refused", () => {
    expect(() => buybackSplit(1n, { executorBps: 10_001n, burnBps: 0n })).toThrow("out of range");
  });
});
