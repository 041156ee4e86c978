// MemoryLedger: each contract rule with real values (mirrors contracts/test/*.t.sol).
import { describe, expect, test } from "bun:test";
import { MemoryLedger } from "./memoryLedger.ts";
import { LedgerRevert } from "./ledgerRevert.ts";
import { defaultLedgerConfig, MAX_SUPPLY } from "./deployment.ts";
import type { Bytes32, LedgerEntry } from "./ledger.ts";

const W = 10n ** 18n;
const h = (byte: string): Bytes32 => `0x${byte.repeat(32)}`;

function reverts(fn: () => unknown, errorName: string): LedgerRevert {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerRevert);
    expect((e as LedgerRevert).errorName).toBe(errorName);
    return e as LedgerRevert;
  }
  throw new Error(`expected revert ${errorName}, but the call succeeded`);
}

/** A ledger with two staked nodes and a funded submitter. */
function world(): MemoryLedger {
  const L = new MemoryLedger();
  for (const n of ["n1", "n2", "n3"]) {
    L.transfer("deployer", n, "GSN", 5_000n * W);
    L.stake(n, 2_000n * W);
  }
  L.mintUsd("deployer", "sub", 1_000n * W);
  return L;
}

function committedJob(L: MemoryLedger, steps = 8, graphNodes = 5): number {
  const j = L.postJob("sub", { fee: 100n * W, specHash: h("11"), steps, graphNodes });
  L.assign("operator", j, "n1", ["n2"]);
  L.commit("n1", j, h("aa"));
  return j;
}

describe("deployment", () => {
  test("mints 10B GSN once to the deployer and seeds the pool", () => {
    const L = new MemoryLedger();
    expect(L.totalSupply("GSN")).toBe(MAX_SUPPLY);
    expect(L.balanceOf("deployer", "GSN")).toBe(MAX_SUPPLY - 100_000_000n * W);
    expect(L.poolReserves()).toEqual({ usd: 1_000_000n * W, gsn: 100_000_000n * W });
    expect(L.burned()).toBe(0n);
  });
});

describe("token", () => {
  test("burn lowers supply and counts as burned", () => {
    const L = world();
    L.burn("n1", 3n * W);
    expect(L.totalSupply("GSN")).toBe(MAX_SUPPLY - 3n * W);
    expect(L.burned()).toBe(3n * W);
  });
  test("transfer beyond balance reverts ERC20InsufficientBalance and changes nothing", () => {
    const L = world();
    const e = reverts(() => L.transfer("n1", "n2", "GSN", 3_001n * W), "ERC20InsufficientBalance");
    expect(e.errorArgs).toEqual(["n1", 3_000n * W, 3_001n * W]);
    expect(L.balanceOf("n1", "GSN")).toBe(3_000n * W);
  });
  test("only the deployer mints USD", () => {
    reverts(() => world().mintUsd("n1", "n1", 1n), "OwnableUnauthorizedAccount");
  });
});

describe("staking", () => {
  test("unstake unlocks after the delay, not before", () => {
    const L = world();
    L.requestUnstake("n1", 400n * W);
    expect(L.pendingUnstake("n1")).toEqual({ amount: 400n * W, unlockAt: 1_700_000_000 + 7 * 86_400 });
    L.setTime(1_700_000_000 + 7 * 86_400 - 1);
    reverts(() => L.withdraw("n1"), "UnstakeLocked");
    L.setTime(1_700_000_000 + 7 * 86_400);
    expect(L.withdraw("n1")).toBe(400n * W);
    expect(L.balanceOf("n1", "GSN")).toBe(3_400n * W);
    expect(L.stakeOf("n1")).toBe(1_600n * W);
  });
  test("slash takes active stake first, then the pending unstake", () => {
    const L = world();
    L.requestUnstake("n1", 1_700n * W);
    expect(L.slash("DisputeGame", "n1", 500n * W, "n2")).toBe(500n * W);
    expect(L.stakeOf("n1")).toBe(0n);
    expect(L.pendingUnstake("n1").amount).toBe(1_500n * W);
    expect(L.balanceOf("n2", "GSN")).toBe(3_500n * W);
  });
  test("only SLASHER_ROLE slashes", () => {
    reverts(() => world().slash("n2", "n1", 1n, "n2"), "AccessControlUnauthorizedAccount");
  });
  test("errors: zero stake, unstake above stake, nothing to withdraw", () => {
    const L = world();
    reverts(() => L.stake("n1", 0n), "ZeroAmount");
    reverts(() => L.requestUnstake("n1", 2_001n * W), "InsufficientStake");
    reverts(() => L.withdraw("n1"), "NothingToWithdraw");
  });
});

describe("job market", () => {
  test("an undisputed job pays after the window: 0.5% to the vault, 10% to verifiers", () => {
    const L = world();
    const j = committedJob(L);
    reverts(() => L.finalize("n1", j), "ChallengeWindowOpen");
    L.setTime(1_700_000_000 + 3_601);
    expect(L.finalize("n1", j)).toEqual({ solver: 895n * W / 10n, perVerifier: 10n * W, protocolFee: W / 2n });
    expect(L.balanceOf("BuybackVault", "USD")).toBe(W / 2n);
    expect(L.balanceOf("n2", "USD")).toBe(10n * W);
    expect(L.escrow()).toEqual({ posted: 100n * W, escrowed: 0n, paidOut: 100n * W, refunded: 0n });
    expect(L.job(j).status).toBe("Paid");
  });
  test("assignment needs stake, distinct verifiers, the operator", () => {
    const L = world();
    const j = L.postJob("sub", { fee: 100n * W, specHash: h("11"), steps: 4, graphNodes: 4 });
    reverts(() => L.assign("n1", j, "n1", []), "AccessControlUnauthorizedAccount");
    reverts(() => L.assign("operator", j, "n9", []), "InsufficientStake");
    reverts(() => L.assign("operator", j, "n1", ["n1"]), "InvalidVerifiers");
    reverts(() => L.assign("operator", j, "n1", ["n2", "n2"]), "InvalidVerifiers");
    reverts(() => L.commit("n1", j, h("aa")), "WrongStatus");
  });
  test("cancel refunds the submitter; only while posted", () => {
    const L = world();
    const j = L.postJob("sub", { fee: 100n * W, specHash: h("11"), steps: 4, graphNodes: 4 });
    reverts(() => L.cancelJob("n1", j), "NotSubmitter");
    L.cancelJob("sub", j);
    expect(L.balanceOf("sub", "USD")).toBe(1_000n * W);
    reverts(() => L.cancelJob("sub", j), "WrongStatus");
  });
  test("challenges: only a verifier, only inside the window, never with the same root", () => {
    const L = world();
    const j = committedJob(L);
    reverts(() => L.challenge("n3", j, h("bb")), "NotVerifier");
    reverts(() => L.challenge("n2", j, h("aa")), "ClaimsAgree");
    L.setTime(1_700_000_000 + 3_601);
    reverts(() => L.challenge("n2", j, h("bb")), "ChallengeWindowClosed");
    expect(L.bondsHeld()).toBe(0n);
  });
});

describe("dispute game (Verde bisection)", () => {
  test("bisects steps then graph nodes; the referee rules for the honest challenger", () => {
    const L = world();
    const j = committedJob(L, 8, 5);
    const g = L.challenge("n2", j, h("bb"));
    expect(L.balanceOf("n2", "GSN")).toBe(2_900n * W);
    // Steps: agree at 4, disagree at 6, agree at 5 -> disputed step 5 (states 5 and 6).
    for (const [d, c] of [["01", "01"], ["02", "03"], ["04", "04"]]) {
      L.claim("n1", g, h(d));
      L.claim("n2", g, h(c));
    }
    let s = L.game(g);
    expect(s.phase).toBe("Graph");
    expect(s.step).toBe(5);
    expect([s.lo, s.hi]).toEqual([0, 5]);
    // Graph: mid 2 disagree -> [0,2]; mid 1 agree -> [1,2] -> referee on node 1.
    L.claim("n1", g, h("05"));
    L.claim("n2", g, h("06"));
    L.claim("n1", g, h("07"));
    L.claim("n2", g, h("07"));
    s = L.game(g);
    expect(s.phase).toBe("Referee");
    expect(s.node).toBe(1);
    expect(s.moves).toBe(10);
    reverts(() => L.rule("n3", g, h("06")), "AccessControlUnauthorizedAccount");
    expect(L.rule("referee", g, h("06"))).toBe("ChallengerWon");
    // Challenger: bond back + 500 slashed from the solver; submitter refunded.
    expect(L.balanceOf("n2", "GSN")).toBe(3_500n * W);
    expect(L.stakeOf("n1")).toBe(1_500n * W);
    expect(L.job(j).status).toBe("Rejected");
    expect(L.balanceOf("sub", "USD")).toBe(1_000n * W);
    expect(L.bondsHeld()).toBe(0n);
  });
  test("a one-step, one-node job goes straight to the referee; both wrong slashes both", () => {
    const L = world();
    const g = L.challenge("n2", committedJob(L, 1, 1), h("bb"));
    expect(L.game(g).phase).toBe("Referee");
    expect(L.rule("referee", g, h("cc"))).toBe("BothWrong");
    expect(L.balanceOf("treasury", "GSN")).toBe(1_100n * W);
  });
  test("chess clock: timeout decides for the party that moved last; late moves revert", () => {
    const L = world();
    const j = committedJob(L);
    const g = L.challenge("n2", j, h("bb"));
    L.setTime(1_700_000_000 + 100);
    L.claim("n1", g, h("01"));
    reverts(() => L.claim("n1", g, h("01")), "NotYourTurn");
    reverts(() => L.timeout("x", g), "ClockNotExpired");
    L.setTime(1_700_000_000 + 100 + 3_601);
    reverts(() => L.claim("n2", g, h("01")), "ClockExpired");
    expect(L.timeout("x", g)).toBe("DefenderWon");
    expect(L.job(j).status).toBe("Upheld");
    expect(L.stakeOf("n2")).toBe(1_500n * W);
    expect(L.balanceOf("n1", "GSN")).toBe(3_000n * W + 100n * W + 500n * W);
    expect(L.finalize("any", j).solver).toBe(895n * W / 10n);
  });
});

describe("buyback vault and pool", () => {
  test("swaps the fee and splits 1% / 70% of the rest / remainder", () => {
    const L = world();
    L.mintUsd("deployer", "BuybackVault", 1_000n * W);
    const r = L.buyback("exec", 1_000n * W);
    expect(r).toEqual({
      amountIn: 1_000n * W,
      bought: 99_600_698_103_990_321_649_315n,
      executorReward: 996_006_981_039_903_216_493n,
      burned: 69_023_283_786_065_292_902_975n,
      toTreasury: 29_581_407_336_885_125_529_847n,
    });
    expect(L.burned()).toBe(r.burned);
    expect(L.balanceOf("treasury", "GSN")).toBe(r.toTreasury);
    expect(L.vaultDay()).toEqual({ day: Math.floor(1_700_000_000 / 86_400), spent: 1_000n * W });
  });
  test("guards: fees available, daily cap, slippage", () => {
    const L = world();
    L.mintUsd("deployer", "BuybackVault", 200_000n * W);
    reverts(() => L.buyback("exec", 0n), "ZeroAmount");
    reverts(() => L.buyback("exec", 200_001n * W), "InsufficientFees");
    reverts(() => L.buyback("exec", 100_001n * W), "DailyCapExceeded");
    reverts(() => L.buyback("exec", 60_000n * W), "SlippageExceeded");
  });
  test("TWAP guard: a pumped spot price reverts until the average catches up", () => {
    const L = world();
    L.mintUsd("deployer", "BuybackVault", 2_000n * W);
    L.mintUsd("deployer", "trader", 100_000n * W);
    L.setTime(1_700_000_000 + 1_800);
    L.buyback("exec", 1_000n * W);
    const seedPrice = ((1_000_000n * W) << 112n) / (100_000_000n * W);
    expect(L.priceOracle().twap).toBe(seedPrice);
    L.swap("trader", "USD", 100_000n * W, 0n);
    const e = reverts(() => L.buyback("exec", 1_000n * W), "PriceAboveTwap");
    expect(e.errorArgs[1]).toBe(seedPrice);
    L.setTime(1_700_000_000 + 3_600);
    L.buyback("exec", 1_000n * W);
    expect(L.priceOracle().twap >= (e.errorArgs[0] as bigint)).toBe(true);
  });
  test("swap revert: output below minOut", () => {
    const L = world();
    reverts(() => L.swap("n1", "GSN", 100n * W, 10n * W), "InsufficientOutput");
    expect(L.swap("n1", "GSN", 100n * W, 0n)).toBe(996_999_005_991_991_025n);
  });
});

describe("swarm coordinator", () => {
  test("peers, stages and rounds, winners and rewards, as rl-swarm-contracts v0.6.0 (REFERENCE §7)", () => {
    const L = world(); // stageCount 3 (deployment.ts default), owner deployer, stage manager operator
    const S = L.swarmView();
    expect([S.stageCount(), S.hasRole("OWNER_ROLE", "deployer"), S.hasRole("BOOTNODE_MANAGER_ROLE", "deployer"), S.hasRole("STAGE_MANAGER_ROLE", "operator")])
      .toEqual([3, true, true, true]);
    L.registerPeer("n1", "p1");
    L.registerPeer("n1", "p1b");
    L.registerPeer("n2", "p2");
    L.registerPeer("n3", ""); // the empty id registers too
    reverts(() => L.registerPeer("n3", "p1"), "PeerIdAlreadyRegistered");
    expect([S.peersOf("n1"), S.peersOf("n9"), L.peerOwner("p1b"), L.peerOwner("zz")]).toEqual([["p1", "p1b"], [], "n1", null]);
    reverts(() => L.updateStageAndRound("n1"), "OnlyStageManager");
    expect(L.updateStageAndRound("operator")).toEqual({ round: 0, stage: 1 });
    reverts(() => L.setStageCount("deployer", 1), "InvalidRoundNumber"); // the clock has moved
    L.updateStageAndRound("operator");
    expect(L.updateStageAndRound("deployer")).toEqual({ round: 1, stage: 0 }); // the owner is a stage manager
    // Winners: order of checks, unregistered winners allowed, the empty list records no vote.
    L.submitWinners("n2", 0, ["p1", "ghost"], "p2");
    reverts(() => L.submitWinners("n1", 0, ["x", "x"], "p2"), "WinnerAlreadyVoted");
    reverts(() => L.submitWinners("n1", 2, ["x", "x"], "p2"), "InvalidRoundNumber");
    reverts(() => L.submitWinners("n1", 1, ["x", "x"], "p2"), "InvalidVoterPeerId");
    reverts(() => L.submitWinners("n1", 1, ["p2", "p2"], "p1"), "InvalidVote");
    L.submitWinners("n1", 1, [], "p1");
    L.submitWinners("n1", 1, ["p2"], "p1");
    reverts(() => L.submitWinners("n1", 1, ["p1b"], "p1"), "WinnerAlreadyVoted");
    expect([L.totalWins("p1"), L.totalWins("ghost"), L.totalWins("p2"), S.voterVoteCount("p1"), S.uniqueVoters(), S.voterVotes(0, "p2"), S.voterVotes(1, "p1")])
      .toEqual([1, 1, 1, 2, 2, ["p1", "ghost"], ["p2"]]);
    // Rewards: a past round accepts stages up to stageCount; the current one up to the current stage.
    L.submitReward("n1", 0, 3, -5n, "p1");
    L.submitReward("n1", 0, 3, 2n, "p1b");
    L.submitReward("n1", 1, 0, 12n, "p1");
    reverts(() => L.submitReward("n1", 0, 4, 1n, "p1"), "InvalidStageNumber");
    reverts(() => L.submitReward("n1", 1, 1, 1n, "p1"), "InvalidStageNumber");
    reverts(() => L.submitReward("n2", 1, 0, 1n, "p1"), "RewardAlreadySubmitted"); // before the owner check
    reverts(() => L.submitReward("n2", 1, 0, 1n, "p1b"), "InvalidVoterPeerId");
    reverts(() => L.submitReward("n1", 2, 9, 1n, "zz"), "InvalidRoundNumber");
    expect([L.totalRewards("p1"), L.totalRewards("p1b"), S.roundStageReward(0, 3, "n1"), S.roundStageReward(1, 0, "n1"), S.roundStageReward(1, 0, "n2")])
      .toEqual([7n, 2n, -3n, 12n, 0n]);
    expect([S.hasSubmittedRoundStageReward(0, 3, "p1"), S.hasSubmittedRoundStageReward(0, 2, "p1")]).toEqual([true, false]);
  });

  test("roles and bootnodes: owner-only grants, swap-and-pop removal, the stage count before the first round", () => {
    const L = new MemoryLedger({ ...defaultLedgerConfig, swarm: { stageCount: 1 } });
    const S = L.swarmView();
    expect(L.updateStageAndRound("operator")).toEqual({ round: 1, stage: 0 }); // one stage per round
    reverts(() => L.grantSwarmRole("operator", "BOOTNODE_MANAGER_ROLE", "n1"), "OnlyOwner");
    L.grantSwarmRole("deployer", "BOOTNODE_MANAGER_ROLE", "n1");
    reverts(() => L.addBootnodes("n2", ["a"]), "OnlyBootnodeManager");
    L.addBootnodes("n1", ["a", "b", "c"]);
    reverts(() => L.removeBootnode("n1", 3), "InvalidBootnodeIndex");
    L.removeBootnode("n1", 0);
    expect(S.bootnodes()).toEqual(["c", "b"]);
    L.removeBootnode("deployer", 1);
    expect(S.bootnodes()).toEqual(["c"]);
    L.revokeSwarmRole("deployer", "BOOTNODE_MANAGER_ROLE", "n1");
    reverts(() => L.clearBootnodes("n1"), "OnlyBootnodeManager");
    L.clearBootnodes("deployer");
    expect(S.bootnodes()).toEqual([]);
    L.revokeSwarmRole("deployer", "STAGE_MANAGER_ROLE", "operator");
    reverts(() => L.updateStageAndRound("operator"), "OnlyStageManager");
    reverts(() => L.setStageCount("deployer", 3), "InvalidRoundNumber");
    const fresh = new MemoryLedger({ ...defaultLedgerConfig, swarm: { stageCount: 1 } });
    reverts(() => fresh.setStageCount("operator", 3), "OnlyOwner");
    reverts(() => fresh.setStageCount("deployer", 0), "InvalidStageNumber");
    fresh.setStageCount("deployer", 3);
    expect(fresh.swarmView().stageCount()).toBe(3);
    expect(() => new MemoryLedger({ ...defaultLedgerConfig, swarm: { stageCount: 0 } })).toThrow("stageCount");
  });
});

describe("arguments the ABI cannot encode", () => {
  test("a negative amount or a fractional id is a caller bug, not a revert, and changes nothing", () => {
    const L = world();
    expect(() => L.transfer("n1", "n2", "GSN", -5n)).toThrow("ledger.transfer: argument 3 = -5 is not a uint256");
    expect(() => L.finalize("n1", 1.5)).toThrow("argument 1 = 1.5 is not a non-negative integer");
    expect(() => L.stake("n1", 1n << 256n)).toThrow("is not a uint256");
    expect(L.balanceOf("n1", "GSN")).toBe(3_000n * W);
  });
  test("a clock that goes back or is fractional is rejected", () => {
    let t = 1_700_000_010;
    const L = new MemoryLedger(undefined, { clock: () => t });
    L.transfer("deployer", "n1", "GSN", 1n);
    t = 1_700_000_009;
    expect(() => L.transfer("deployer", "n1", "GSN", 1n)).toThrow("never goes back");
    t = 1_700_000_011.5;
    expect(() => L.transfer("deployer", "n1", "GSN", 1n)).toThrow("integer number of seconds");
  });
});

describe("journal", () => {
  test("journals applied calls in order with time; reverted calls are not journaled", () => {
    const L = new MemoryLedger();
    const seen: LedgerEntry[] = [];
    L.onApplied((e) => seen.push(e));
    L.transfer("deployer", "n1", "GSN", 5n);
    reverts(() => L.transfer("n1", "n2", "GSN", 6n), "ERC20InsufficientBalance");
    L.setTime(1_700_000_009);
    L.stake("n1", 5n);
    expect(seen.map((e) => [e.seq, e.time, e.call.method])).toEqual([
      [1, 1_700_000_000, "transfer"],
      [2, 1_700_000_009, "stake"],
    ]);
    expect(seen[0].call.args).toEqual(["deployer", "n1", "GSN", 5n]);
  });
});
