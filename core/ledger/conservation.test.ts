// Conservation properties of the memory ledger under random protocol traffic (many seeds, with a
// fixed-seed twin): GSN supply exact, escrow, stakes, bonds and pool reserves all accounted.
import { describe, expect, test } from "bun:test";
import { Rng } from "../des/rng.ts";
import { MemoryLedger } from "./memoryLedger.ts";
import { LedgerRevert } from "./ledgerRevert.ts";
import { MAX_SUPPLY } from "./deployment.ts";
import { applyCall } from "./applyCall.ts";
import { nextTrafficStep, trafficSetup } from "./randomTraffic.ts";

/** Applies `steps` random traffic steps (many revert: that is part of the test). */
function traffic(seed: string, steps: number): { L: MemoryLedger; burnedByCalls: bigint; applied: number } {
  const rng = new Rng(seed);
  const L = new MemoryLedger();
  let burnedByCalls = 0n;
  let applied = 0;
  L.onApplied((e) => {
    applied += 1;
    if (e.call.method === "burn") burnedByCalls += e.call.args[1];
    if (e.call.method === "buyback") burnedByCalls += (e.result as { burned: bigint }).burned;
  });
  for (const call of trafficSetup()) applyCall(L, call);
  for (let i = 0; i < steps; i++) {
    const step = nextTrafficStep(L, rng);
    if ("advance" in step) {
      L.setTime(L.now() + step.advance);
      continue;
    }
    try {
      applyCall(L, step);
    } catch (e) {
      if (!(e instanceof LedgerRevert)) throw e;
    }
  }
  return { L, burnedByCalls, applied };
}

function expectConserved(L: MemoryLedger, burnedByCalls: bigint): void {
  const accounts = L.accounts();
  for (const asset of ["GSN", "USD"] as const) {
    const sum = accounts.reduce((a, acc) => a + L.balanceOf(acc, asset), 0n);
    expect(sum).toBe(L.totalSupply(asset));
  }
  // Supply never above 10B, and falls only by burns (direct burns + buyback burns).
  expect(L.totalSupply("GSN") <= MAX_SUPPLY).toBe(true);
  expect(L.burned()).toBe(burnedByCalls);
  // Escrow: posted == escrowed + paid out + refunded, and the market holds exactly the escrow.
  const e = L.escrow();
  expect(e.escrowed + e.paidOut + e.refunded).toBe(e.posted);
  expect(L.balanceOf("JobMarket", "USD")).toBe(e.escrowed);
  // Stakes and bonds held by their contracts.
  const staked = accounts.reduce((a, acc) => a + L.stakeOf(acc) + L.pendingUnstake(acc).amount, 0n);
  expect(staked).toBe(L.totalStaked());
  expect(L.balanceOf("Staking", "GSN")).toBe(L.totalStaked());
  expect(L.balanceOf("DisputeGame", "GSN")).toBe(L.bondsHeld());
  let openBonds = 0n;
  for (let g = 1; g <= L.gameCount(); g++) if (L.game(g).phase !== "Resolved") openBonds += L.game(g).bond;
  expect(openBonds).toBe(L.bondsHeld());
  const r = L.poolReserves();
  expect([L.balanceOf("ConstantProductPool", "USD"), L.balanceOf("ConstantProductPool", "GSN")]).toEqual([r.usd, r.gsn]);
}

describe("conservation under random traffic", () => {
  test("fixed seed: supply, escrow, stakes, bonds and reserves all accounted", () => {
    const { L, burnedByCalls, applied } = traffic("ledger-fixed", 3_000);
    expectConserved(L, burnedByCalls);
    // The fixed seed exercises the whole flow, not just reverts.
    expect(applied).toBeGreaterThan(500);
    expect(L.jobCount()).toBeGreaterThan(20);
    expect(L.gameCount()).toBeGreaterThan(0);
    const resolved = Array.from({ length: L.gameCount() }, (_, i) => L.game(i + 1)).filter((g) => g.phase === "Resolved");
    expect(resolved.length).toBeGreaterThan(0);
    expect(L.escrow().paidOut).toBeGreaterThan(0n);
    expect(L.burned()).toBeGreaterThan(0n);
  });

  test("many seeds: the same properties hold", () => {
    for (let s = 0; s < 40; s++) {
      const { L, burnedByCalls } = traffic(`ledger-${s}`, 600);
      expectConserved(L, burnedByCalls);
    }
  });

  test("same seed, same ledger: journals are identical", () => {
    const a = traffic("ledger-det", 800);
    const b = traffic("ledger-det", 800);
    expect(a.applied).toBe(b.applied);
    expect(a.L.accounts().map((x) => [x, a.L.balanceOf(x, "GSN"), a.L.balanceOf(x, "USD")])).toEqual(
      b.L.accounts().map((x) => [x, b.L.balanceOf(x, "GSN"), b.L.balanceOf(x, "USD")]),
    );
  });
});
