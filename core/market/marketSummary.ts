// The market workload's summary (summary.json "workload"): job outcomes, disputes, lies caught,
// and the final ledger state (supply, burned, escrow, stakes) with a digest of every account.
import { hashBytes, toHex } from "../ml/hash.ts";
import type { Ledger } from "../ledger/ledger.ts";
import type { MarketRoles } from "./marketAgents.ts";
import type { JobRecord } from "./marketJob.ts";
import { toWei, type MarketParams } from "./marketParams.ts";

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

/** How the run was set up, for the summary's expectations (catch rate) and labels. */
export interface SummaryContext {
  params: MarketParams;
  crossCheck: boolean;
}

/** (1 - f)^n by repeated multiplication (integer n: exact on every engine, no engine pow). */
function noneChecks(f: number, n: number): number {
  let p = 1;
  for (let i = 0; i < n; i++) p *= 1 - f;
  return p;
}

/** Lies measured from the jobs: committed = the solver's result differed from an honest run. */
function liesOf(jobs: readonly JobRecord[], f: number) {
  const wrong = jobs.filter((r) => r.wrongResult);
  const caught = wrong.filter((r) => r.end === "rejected").length;
  const missed = wrong.filter((r) => r.end === "paid").length;
  // Each honest verifier re-executes with probability f and a lying one always challenges, so a
  // wrong result escapes only when no assigned verifier compares: 1 - (1 - f)^honest per job.
  const expected = wrong.reduce((s, r) => s + (r.lyingVerifiers > 0 ? 1 : 1 - noneChecks(f, r.honestVerifiers)), 0);
  return {
    attempted: jobs.filter((r) => r.solverLied).length,
    committed: wrong.length,
    caught,
    missed,
    catchRate: wrong.length === 0 ? 1 : caught / wrong.length,
    /** The catch rate the verifiers' sampling predicts for these jobs' verifier sets. */
    expectedCatchRate: wrong.length === 0 ? 1 : expected / wrong.length,
  };
}

function disputesOf(jobs: readonly JobRecord[], crossCheck: boolean) {
  // One entry per challenge (a job may have several, REFERENCE §1, §3), with its job's solver.
  const all = jobs.flatMap((r) => r.disputes.map((d) => ({ ...d, solverLied: r.solverLied })));
  const by = <K extends string>(key: (d: (typeof all)[number]) => K, keys: readonly K[]) =>
    Object.fromEntries(keys.map((k) => [k, all.filter((d) => key(d) === k).length])) as Record<K, number>;
  const rulings = all.filter((d) => d.reason === "referee");
  const ops = rulings.map((d) => d.refereeOps);
  const checked = all.filter((d) => d.verdeAgrees !== null);
  return {
    count: all.length,
    /** Jobs that saw more than one challenge in their window. */
    jobsWithSeveral: jobs.filter((r) => r.disputes.length > 1).length,
    byOutcome: by((d) => d.outcome, ["DefenderWon", "ChallengerWon", "BothWrong"] as const),
    byReason: by((d) => d.reason, ["referee", "timeout"] as const),
    /** Verifiers whose result differed but that did not challenge (window closed, job ended, no bond). */
    skippedChallenges: jobs.reduce((s, r) => s + r.skippedChallenges, 0),
    /** Challenges by a verifier that re-executed as an adversary against an honest solver. */
    falseChallenges: all.filter((d) => d.challengerLied && !d.solverLied).length,
    /** Disputes between a lying solver and a lying verifier (no honest party to side with). */
    liarVsLiar: all.filter((d) => d.solverLied && d.challengerLied).length,
    /** Disputes an honest party (defender or challenger) did not win: must be 0 (REFERENCE §3, §10 claim 6). */
    honestLost: all.filter((d) => (!d.solverLied && d.outcome !== "DefenderWon") || (!d.challengerLied && d.outcome !== "ChallengerWon")).length,
    meanMoves: all.length === 0 ? 0 : all.reduce((s, d) => s + d.moves, 0) / all.length,
    /** Ops the referee recomputed per ruling (REFERENCE §3: one). */
    refereeOps: { rulings: rulings.length, min: ops.length ? Math.min(...ops) : 0, max: ops.length ? Math.max(...ops) : 0 },
    /**
     * Verde's off-chain referee on the same parties: same outcome / same step and node; and the
     * disagreements with an honest party in them (must be 0: between two liars Verde may reject
     * an inconsistent commitment off chain where the chain only sees the real hashes).
     */
    crossCheck: {
      enabled: crossCheck, checked: checked.length, agree: checked.filter((d) => d.verdeAgrees).length, sameStepAndNode: checked.filter((d) => d.verdeSameNode).length,
      disagreeWithHonestParty: checked.filter((d) => !d.verdeAgrees && !(d.solverLied && d.challengerLied)).length,
    },
  };
}

export function summarizeMarket(
  ledger: Ledger,
  roles: MarketRoles,
  records: readonly JobRecord[],
  keeper: { buybacks: number; skipped: number },
  run: SummaryContext,
): Record<string, unknown> {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  const count = (f: (r: JobRecord) => boolean) => sorted.filter(f).length;
  const escrow = ledger.escrow();
  const agents = [...roles.solvers, ...roles.verifiers];
  const staked = agents.reduce((s, a) => s + ledger.stakeOf(a.account), 0n);
  const initialStake = toWei(run.params.stakeGsn, "workload.stakeGsn");
  const slashed = agents.reduce((s, a) => s + (initialStake - ledger.stakeOf(a.account)), 0n);
  return {
    traces: run.params.traces,
    jobs: {
      settled: sorted.length,
      paid: count((r) => r.end === "paid"),
      rejected: count((r) => r.end === "rejected"),
      cancelled: count((r) => r.end === "cancelled"),
      /** Re-executions by verifiers, and how many of the assigned verifiers that is. */
      reexecutions: sorted.reduce((s, r) => s + r.checks, 0),
      assignedVerifiers: sorted.reduce((s, r) => s + r.verifiers, 0),
    },
    lies: liesOf(sorted, run.params.verifySampleFraction),
    disputes: disputesOf(sorted, run.crossCheck),
    /** Agents that never lie whose stake ended below what they staked (read from the ledger). */
    honestSlashed: agents.filter((a) => !a.lying && ledger.stakeOf(a.account) < initialStake).length,
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
      slashedGsn: Number(slashed) / 1e18,
      gsnSupply: ledger.totalSupply("GSN").toString(),
      burned: ledger.burned().toString(),
      treasuryGsn: ledger.balanceOf("treasury", "GSN").toString(),
      vaultUsd: ledger.balanceOf("BuybackVault", "USD").toString(),
      escrowPosted: escrow.posted.toString(),
      escrowHeld: escrow.escrowed.toString(),
      paidOut: escrow.paidOut.toString(),
      refunded: escrow.refunded.toString(),
      agentStake: staked.toString(),
      slashed: slashed.toString(),
      bondsHeld: ledger.bondsHeld().toString(),
      jobCount: ledger.jobCount(),
      gameCount: ledger.gameCount(),
      digest: ledgerDigest(ledger),
    },
  };
}
