// Conservation properties of the memory ledger under random protocol traffic (many seeds, with a
// fixed-seed twin): GSN supply exact, escrow, stakes, bonds and pool reserves all accounted.
import { describe, expect, test } from "bun:test";
import { Rng } from "../des/rng.ts";
import { MemoryLedger } from "./memoryLedger.ts";
import { LedgerRevert } from "./ledgerRevert.ts";
import { MAX_SUPPLY } from "./deployment.ts";
import type { Asset, Bytes32 } from "./ledger.ts";

const W = 10n ** 18n;
const NODES = ["n0", "n1", "n2", "n3", "n4", "n5"];
const hash = (rng: Rng): Bytes32 => `0x${(rng.int(4) + 1).toString(16).padStart(64, "0")}`;
const amount = (rng: Rng, maxWhole: number): bigint => BigInt(rng.int(maxWhole) + 1) * W + BigInt(rng.int(1_000_000));

/** Applies `steps` random calls (many revert: that is part of the test) and returns the ledger. */
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
  for (const n of NODES) {
    L.transfer("deployer", n, "GSN", 10_000n * W);
    L.mintUsd("deployer", n, 5_000n * W);
  }
  const pick = (): string => NODES[rng.int(NODES.length)];
  /** Mostly a job in `status` (so the flow advances), sometimes any id (so it reverts). */
  const jobIn = (status: string): number => {
    const ids: number[] = [];
    for (let j = 1; j <= L.jobCount(); j++) if (L.job(j).status === status) ids.push(j);
    return ids.length > 0 && rng.bernoulli(0.85) ? ids[rng.int(ids.length)] : rng.int(L.jobCount() + 1) + 1;
  };
  const actions: (() => unknown)[] = [
    () => L.stake(pick(), amount(rng, 3_000)),
    () => L.requestUnstake(pick(), amount(rng, 2_000)),
    () => L.withdraw(pick()),
    () => L.burn(pick(), amount(rng, 50)),
    () => L.transfer(pick(), pick(), rng.bernoulli(0.5) ? "GSN" : "USD", amount(rng, 500)),
    () => L.postJob(pick(), { fee: amount(rng, 400), specHash: hash(rng), steps: rng.int(40) + 1, graphNodes: rng.int(30) + 1 }),
    () => L.cancelJob(pick(), rng.int(L.jobCount() + 1) + 1),
    () => {
      const solver = pick();
      const verifiers = NODES.filter((n) => n !== solver && rng.bernoulli(0.4));
      L.assign("operator", jobIn("Posted"), solver, verifiers);
    },
    () => {
      const j = L.job(jobIn("Assigned"));
      L.commit(rng.bernoulli(0.9) ? (j.solver ?? pick()) : pick(), j.id, hash(rng));
    },
    () => {
      const j = L.job(jobIn("Committed"));
      const v = j.verifiers.length > 0 && rng.bernoulli(0.9) ? j.verifiers[rng.int(j.verifiers.length)] : pick();
      L.challenge(v, j.id, hash(rng));
    },
    () => L.finalize(pick(), jobIn(rng.bernoulli(0.5) ? "Committed" : "Upheld")),
    () => {
      const g = L.game(rng.int(L.gameCount() + 1) + 1);
      const mover = g.turn === "defender" ? g.defender : g.challenger;
      L.claim(rng.bernoulli(0.9) ? mover : pick(), g.id, hash(rng));
    },
    () => L.timeout(pick(), rng.int(L.gameCount() + 1) + 1),
    () => L.rule("referee", rng.int(L.gameCount() + 1) + 1, hash(rng)),
    () => L.swap(pick(), (rng.bernoulli(0.5) ? "GSN" : "USD") as Asset, amount(rng, 200), 0n),
    () => L.buyback(pick(), BigInt(rng.int(1_000_000) + 1) * 10n ** 12n),
    () => L.setTime(L.now() + (rng.bernoulli(0.1) ? rng.int(8 * 86_400) : rng.int(300))),
  ];
  for (let i = 0; i < steps; i++) {
    try {
      actions[rng.int(actions.length)]();
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
