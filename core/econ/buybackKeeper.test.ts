// Buyback keeper: slippage-bound sizing, getAmountIn, and the vault's split and cap on the ledger.
import { describe, expect, test } from "bun:test";
import { amountOut, defaultLedgerConfig, MemoryLedger } from "../ledger/index.ts";
import { amountInFor, executeBuyback, maxStableInForSlippage } from "./buybackKeeper.ts";
import { ECON_ACCOUNTS } from "./tokenSupply.ts";
import { WAD } from "./wei.ts";

describe("buyback keeper", () => {
  test("the slippage bound is tight: at the maximum input the execution price is within it", () => {
    const S = 100_000n * WAD;
    const T = 1_000_000n * WAD;
    for (const [fee, slip] of [[30n, 500n], [0n, 100n], [100n, 300n]] as const) {
      const x = maxStableInForSlippage(S, fee, slip);
      expect(amountOut(x, S, T, fee) * 10_000n).toBeGreaterThanOrEqual(((x * T) / S) * (10_000n - slip) - 10_000n);
      const more = x + x / 100n;
      expect(amountOut(more, S, T, fee) * 10_000n).toBeLessThan(((more * T) / S) * (10_000n - slip));
    }
    expect(maxStableInForSlippage(S, 30n, 30n)).toBe(0n);
  });

  test("amountInFor buys at least the asked output (Uniswap V2 getAmountIn)", () => {
    const i = amountInFor(996n, 1_000_000n, 1_000_000n, 30n);
    expect(amountOut(i, 1_000_000n, 1_000_000n, 30n)).toBeGreaterThanOrEqual(996n);
    expect(amountOut(i - 2n, 1_000_000n, 1_000_000n, 30n)).toBeLessThan(996n);
  });

  test("1% executor, 70% of the rest burned, 29.7% to the treasury, on the ledger's vault", () => {
    const ledger = new MemoryLedger(defaultLedgerConfig);
    ledger.setTime(defaultLedgerConfig.genesisTime + 3600);
    ledger.mintUsd("deployer", "BuybackVault", 1_000n * WAD);
    const out = executeBuyback(ledger, ECON_ACCOUNTS.executor);
    expect(out.kind).toBe("bought");
    if (out.kind !== "bought") return;
    const r = out.result;
    expect(r.executorReward).toBe((r.bought * 100n) / 10_000n);
    expect(r.burned).toBe(((r.bought - r.executorReward) * 7_000n) / 10_000n);
    expect(r.executorReward + r.burned + r.toTreasury).toBe(r.bought);
    expect(ledger.burned()).toBe(r.burned);
  });

  test("the daily cap limits what one day spends; nothing left is a skip", () => {
    const cfg = { ...defaultLedgerConfig, vault: { ...defaultLedgerConfig.vault, dailyCap: 500n * WAD } };
    const ledger = new MemoryLedger(cfg);
    ledger.setTime(cfg.genesisTime + 3600);
    ledger.mintUsd("deployer", "BuybackVault", 2_000n * WAD);
    const a = executeBuyback(ledger, "executor");
    expect(a.kind === "bought" && a.limitedByCap && a.result.amountIn === 500n * WAD).toBe(true);
    expect(executeBuyback(ledger, "executor")).toEqual({ kind: "skipped", reason: "nothing" });
  });
});
