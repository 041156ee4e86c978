// The market workload's summary (summary.json "workload"): job outcomes, disputes, lies caught,
// and the final ledger state (supply, burned, escrow, stakes) with a digest of every account.
import { hashBytes, toHex } from "../ml/hash.ts";
import type { Ledger } from "../ledger/ledger.ts";
import type { JobRecord } from "./jobLifecycle.ts";
import type { MarketRoles } from "./marketAgents.ts";

/** Every account's GSN, USD, stake and pending unstake, one line each in sorted account order. */
export function ledgerStateLines(ledger: Ledger): string[] {
  return ledger.accounts().map((a) => {
    const p = ledger.pendingUnstake(a);
    return `${a}|${ledger.balanceOf(a, "GSN")}|${ledger.balanceOf(a, "USD")}|${ledger.stakeOf(a)}|${p.amount}|${p.unlockAt}`;
  });
}

/** sha256 of the state lines: equal digests mean equal balances, stakes and unstakes everywhere. */
export function ledgerDigest(ledger: Ledger): string {
  const lines = ledgerStateLines(ledger);
  lines.push(`supply|${ledger.totalSupply("GSN")}|${ledger.totalSupply("USD")}`);
  return toHex(hashBytes(new TextEncoder().encode(lines.join("\n"))));
}

export function summarizeMarket(
  ledger: Ledger,
  roles: MarketRoles,
  records: readonly JobRecord[],
  keeper: { buybacks: number; skipped: number },
): Record<string, unknown> {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  const count = (f: (r: JobRecord) => boolean) => sorted.filter(f).length;
  // One entry per challenge (a job may have several, REFERENCE §1, §3), with its job's solver.
  const disputes = sorted.flatMap((r) => r.disputes.map((d) => ({ solverLied: r.solverLied, challengerLied: d.challengerLied, outcome: d.result.outcome, moves: d.result.moves })));
  const moves = disputes.reduce((s, d) => s + d.moves, 0);
  const lied = count((r) => r.solverLied);
  const caught = count((r) => r.solverLied && r.end === "rejected");
  const escrow = ledger.escrow();
  const staked = [...roles.solvers, ...roles.verifiers].reduce((s, a) => s + ledger.stakeOf(a.account), 0n);
  return {
    jobs: {
      settled: sorted.length,
      paid: count((r) => r.end === "paid"),
      rejected: count((r) => r.end === "rejected"),
      cancelled: count((r) => r.end === "cancelled"),
    },
    lies: { committed: lied, caught, missed: lied - caught, catchRate: lied === 0 ? 1 : caught / lied },
    disputes: {
      count: disputes.length,
      /** Jobs that saw more than one challenge in their window. */
      jobsWithSeveral: count((r) => r.disputes.length > 1),
      defenderWon: disputes.filter((d) => d.outcome === "DefenderWon").length,
      challengerWon: disputes.filter((d) => d.outcome === "ChallengerWon").length,
      bothWrong: disputes.filter((d) => d.outcome === "BothWrong").length,
      /** Disputes between one liar and one honest party that the honest one lost: must be 0
       * (REFERENCE §3, §10 claim 6). */
      honestLost: disputes.filter((d) => d.solverLied !== d.challengerLied && (d.outcome === "DefenderWon") === d.solverLied).length,
      meanMoves: disputes.length === 0 ? 0 : moves / disputes.length,
    },
    agents: {
      submitters: roles.submitters.length,
      solvers: roles.solvers.length,
      lyingSolvers: roles.solvers.filter((a) => a.lying).length,
      verifiers: roles.verifiers.length,
      lyingVerifiers: roles.verifiers.filter((a) => a.lying).length,
    },
    buybacks: keeper,
    ledger: {
      /** Whole tokens as numbers, for checks and charts; the exact wei amounts follow as strings. */
      burnedGsn: Number(ledger.burned()) / 1e18,
      escrowHeldUsd: Number(escrow.escrowed) / 1e18,
      bondsHeldGsn: Number(ledger.bondsHeld()) / 1e18,
      gsnSupply: ledger.totalSupply("GSN").toString(),
      burned: ledger.burned().toString(),
      treasuryGsn: ledger.balanceOf("treasury", "GSN").toString(),
      vaultUsd: ledger.balanceOf("BuybackVault", "USD").toString(),
      escrowPosted: escrow.posted.toString(),
      escrowHeld: escrow.escrowed.toString(),
      paidOut: escrow.paidOut.toString(),
      refunded: escrow.refunded.toString(),
      agentStake: staked.toString(),
      bondsHeld: ledger.bondsHeld().toString(),
      jobCount: ledger.jobCount(),
      gameCount: ledger.gameCount(),
      digest: ledgerDigest(ledger),
    },
  };
}
