// JobMarket with several challenges per job, on the memory ledger (mirrors
// contracts/test/JobMarketChallenges.t.sol): any verifier may challenge inside the window, once,
// each with its bond; games run in parallel; the job pays only after the window with no game
// open and every game won by the solver; the first loss rejects and refunds (REFERENCE §1, §3).
import { describe, expect, test } from "bun:test";
import { MemoryLedger } from "./memoryLedger.ts";
import { LedgerRevert } from "./ledgerRevert.ts";
import { Rng } from "../des/rng.ts";
import type { Bytes32 } from "./ledger.ts";

const W = 10n ** 18n;
const T0 = 1_700_000_000;
const h = (byte: string): Bytes32 => `0x${byte.repeat(32)}`;
const VS = ["n2", "n3", "n4"];

function reverts(fn: () => unknown, errorName: string): void {
  try {
    fn();
  } catch (e) {
    expect((e as LedgerRevert).errorName).toBe(errorName);
    return;
  }
  throw new Error(`expected revert ${errorName}, but the call succeeded`);
}

/** Solver n1 and verifiers n2..n4 staked; a job committed with root aa (steps x graphNodes). */
function committed(steps = 8, graphNodes = 5): { L: MemoryLedger; j: number } {
  const L = new MemoryLedger();
  for (const n of ["n1", ...VS]) {
    L.transfer("deployer", n, "GSN", 5_000n * W);
    L.stake(n, 2_000n * W);
  }
  L.mintUsd("deployer", "sub", 1_000n * W);
  const j = L.postJob("sub", { fee: 100n * W, specHash: h("11"), steps, graphNodes });
  L.assign("operator", j, "n1", VS);
  L.commit("n1", j, h("aa"));
  return { L, j };
}

describe("several challenges per job", () => {
  test("the reported hole: a liar's lost challenge no longer shuts out the honest verifier", () => {
    const { L, j } = committed(1, 1);
    const liar = L.challenge("n2", j, h("b2"));
    L.setTime(T0 + 60);
    expect(L.rule("referee", liar, h("aa"))).toBe("DefenderWon");
    expect(L.job(j).status).toBe("Upheld");
    const honest = L.challenge("n3", j, h("b3"));
    expect(L.job(j).status).toBe("Disputed");
    expect(L.rule("referee", honest, h("b3"))).toBe("ChallengerWon");
    expect(L.job(j).status).toBe("Rejected");
    expect(L.balanceOf("sub", "USD")).toBe(1_000n * W);
    expect(L.balanceOf("n1", "USD")).toBe(0n);
  });

  test("parallel games: no payout while one is open, then the honest game rejects", () => {
    const { L, j } = committed();
    const g1 = L.challenge("n2", j, h("b2"));
    const g2 = L.challenge("n3", j, h("b3"));
    expect(L.job(j)).toMatchObject({ openDisputes: 2, gameId: g2, challengers: ["n2", "n3"] });
    expect(L.bondsHeld()).toBe(200n * W);
    L.claim("n1", g1, h("01"));
    L.setTime(T0 + 3_601);
    expect(L.timeout("x", g1)).toBe("DefenderWon");
    expect(L.job(j)).toMatchObject({ status: "Disputed", openDisputes: 1 });
    reverts(() => L.finalize("x", j), "WrongStatus");
    expect(L.timeout("x", g2)).toBe("ChallengerWon");
    expect(L.job(j)).toMatchObject({ status: "Rejected", openDisputes: 0 });
    expect(L.escrow()).toMatchObject({ escrowed: 0n, refunded: 100n * W });
    expect(L.bondsHeld()).toBe(0n);
  });

  test("a game open when the job is rejected plays on; its honest challenger keeps bond and slash", () => {
    const { L, j } = committed();
    const g1 = L.challenge("n2", j, h("b2"));
    const g2 = L.challenge("n3", j, h("b3"));
    L.setTime(T0 + 3_601);
    L.timeout("x", g1);
    expect(L.job(j).status).toBe("Rejected");
    const before = L.balanceOf("n3", "GSN");
    expect(L.timeout("x", g2)).toBe("ChallengerWon");
    expect(L.balanceOf("n3", "GSN")).toBe(before + 100n * W + 500n * W);
    expect(L.job(j)).toMatchObject({ status: "Rejected", openDisputes: 0 });
    expect(L.escrow().refunded).toBe(100n * W);
    reverts(() => L.challenge("n4", j, h("b4")), "WrongStatus");
  });

  test("once per verifier; Upheld pays only after the window; no challenge after it", () => {
    const { L, j } = committed(1, 1);
    const g = L.challenge("n2", j, h("b2"));
    reverts(() => L.challenge("n2", j, h("cc")), "AlreadyChallenged");
    L.rule("referee", g, h("aa"));
    reverts(() => L.finalize("x", j), "ChallengeWindowOpen");
    L.setTime(T0 + 3_601);
    reverts(() => L.challenge("n3", j, h("b3")), "ChallengeWindowClosed");
    // 10% split among 3 verifiers rounds down; the dust (1 wei) goes to the solver.
    expect(L.finalize("x", j).solver).toBe(895n * W / 10n + 1n);
  });
});

/** Verifier i challenges when bit i of `challenges` is set; the solver wins game i when bit i of `wins` is. */
function paidOnlyIfEveryDisputeWon(challenges: number, wins: number, order: number): void {
  const { L, j } = committed();
  const games: number[] = [];
  let anyLoss = false;
  VS.forEach((v, i) => {
    if (((challenges >> i) & 1) === 0) return;
    games[i] = L.challenge(v, j, h(`b${i + 2}`));
    if ((wins >> i) & 1) L.claim("n1", games[i], h("01"));
    else anyLoss = true;
  });
  const opened = games.filter((g) => g !== undefined).length;
  expect(L.job(j).openDisputes).toBe(opened);
  expect(L.bondsHeld()).toBe(BigInt(opened) * 100n * W);
  L.setTime(T0 + 3_601);
  for (let k = 0; k < 3; k++) {
    const g = games[(k + order) % 3];
    if (g !== undefined) L.timeout("x", g);
  }
  expect(L.job(j).openDisputes).toBe(0);
  expect(L.bondsHeld()).toBe(0n);
  if (anyLoss) {
    expect(L.job(j).status).toBe("Rejected");
    expect(L.balanceOf("n1", "USD")).toBe(0n);
  } else {
    L.finalize("x", j);
    expect(L.job(j).status).toBe("Paid");
  }
  const e = L.escrow();
  expect(e.escrowed + e.paidOut + e.refunded).toBe(e.posted);
  expect(e.escrowed).toBe(0n);
}

describe("paid only if the solver wins every dispute", () => {
  test("fixed case (the forge twin's input): liar, honest, liar -> rejected", () => {
    paidOnlyIfEveryDisputeWon(0x7, 0x5, 1);
  });
  test("every challenge pattern, win pattern and resolution order (many seeds)", () => {
    const rng = new Rng("multiple-challenges");
    for (let i = 0; i < 200; i++) paidOnlyIfEveryDisputeWon(rng.int(8), rng.int(8), rng.int(3));
  });
});
