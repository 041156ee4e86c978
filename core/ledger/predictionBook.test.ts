// The PredictionMarket's rules in memory (contracts/src/PredictionMarket.sol): the same numbers as
// the forge unit test, and conservation under random trading (every outcome fully backed, fees
// conserved, the contract holding exactly the collateral), with a fixed-seed twin.
import { describe, expect, test } from "bun:test";
import { Rng } from "../des/rng.ts";
import { LedgerRevert } from "./ledgerRevert.ts";
import { MemoryLedger } from "./memoryLedger.ts";
import { systemAccounts } from "./ledger.ts";

const W = 10n ** 18n;
const SPEC = `0x${"ab".repeat(32)}` as const;
const TRADERS = ["alice", "bob", "carol"];

function world() {
  const L = new MemoryLedger();
  for (const a of ["creator", ...TRADERS]) L.mintUsd(systemAccounts.deployer, a, 1_000_000n * W);
  return L;
}

function backed(L: MemoryLedger, id: number): void {
  const m = L.predictionMarket(id);
  for (let o = 0; o < m.outcomes; o++) {
    const held = m.pool[o] + TRADERS.reduce((s, t) => s + L.sharesOf(t, id, o), 0n) + L.sharesOf("creator", id, o);
    expect({ outcome: o, held }).toEqual({ outcome: o, held: m.collateral });
  }
}

describe("a buy on a binary market", () => {
  test("moves the pool as the contract does and splits the 2% fee 0.5% / 99.5%", () => {
    const L = world();
    const id = L.createMarket("creator", { judgeSpec: SPEC, outcomes: 2, resolveAt: L.now() + 86_400, liquidity: 1_000n * W });
    const shares = L.buyShares("alice", id, 0, 100n * W, 0n);
    // Same values as contracts/test/PredictionMarket.t.sol test_BuyMovesThePriceAndSplitsTheFee.
    expect(L.predictionMarket(id).pool).toEqual([910_746812386156648452n, 1_098n * W]);
    expect(shares).toBe(1_098n * W - 910_746812386156648452n);
    expect(L.predictionFees()).toEqual({ charged: 2n * W, toVault: 10n ** 16n, toPlatform: 2n * W - 10n ** 16n });
    expect(L.balanceOf("BuybackVault", "USD")).toBe(10n ** 16n);
    backed(L, id);
  });

  test("bad markets and late trades revert with the contract's errors", () => {
    const L = world();
    const name = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as LedgerRevert).errorName;
      }
      return null;
    };
    expect(name(() => L.createMarket("creator", { judgeSpec: SPEC, outcomes: 1, resolveAt: L.now() + 10, liquidity: W }))).toBe("InvalidMarket");
    expect(name(() => L.createMarket("creator", { judgeSpec: SPEC, outcomes: 2, resolveAt: L.now(), liquidity: W }))).toBe("InvalidMarket");
    const id = L.createMarket("creator", { judgeSpec: SPEC, outcomes: 2, resolveAt: L.now() + 10, liquidity: W });
    L.setTime(L.now() + 10);
    expect(name(() => L.buyShares("alice", id, 0, W, 0n))).toBe("WrongTime");
    expect(name(() => L.resolveMarket("operator", id, 1, SPEC, 0))).toBe("JudgeNotVerified");
    expect(name(() => L.resolveMarket("alice", id, 1, SPEC, 0))).toBe("AccessControlUnauthorizedAccount");
  });
});

describe("random trading keeps every outcome backed and fees conserved", () => {
  function trade(seed: string, steps: number) {
    const L = world();
    const rng = new Rng(seed);
    const outcomes = 2 + rng.int(4);
    const id = L.createMarket("creator", { judgeSpec: SPEC, outcomes, resolveAt: L.now() + 86_400, liquidity: BigInt(100 + rng.int(5_000)) * W });
    let ok = 0;
    for (let i = 0; i < steps; i++) {
      const t = TRADERS[rng.int(TRADERS.length)];
      const o = rng.int(outcomes);
      try {
        if (rng.bernoulli(0.6)) L.buyShares(t, id, o, BigInt(rng.int(3_000) + 1) * W + BigInt(rng.int(1e6)), 0n);
        else L.sellShares(t, id, o, BigInt(rng.int(500) + 1) * W, L.sharesOf(t, id, o));
        ok++;
      } catch (e) {
        if (!(e instanceof LedgerRevert)) throw e;
      }
      backed(L, id);
    }
    const f = L.predictionFees();
    expect(f.charged).toBe(f.toVault + f.toPlatform);
    expect(L.balanceOf("PredictionMarket", "USD")).toBe(L.predictionMarket(id).collateral);
    return ok;
  }
  test("fixed seed", () => {
    expect(trade("prediction-fixed", 300)).toBeGreaterThan(150);
  });
  test("several seeds", () => {
    for (const s of ["a", "b", "c", "d", "e"]) expect(trade(s, 150)).toBeGreaterThan(50);
  });
});
