// What both job flows of the market share (REFERENCE §1): the kernel and ledger they act on, the
// record each job leaves for the summary, and the first part of every job: a submitter and fee
// are drawn, and after the operator's assignment delay a staked solver and verifiers are picked
// (or, when none is available, the job is posted and cancelled).
import { SECOND, type Environment, type ProcessGenerator, type Rng } from "../des/index.ts";
import type { LedgerConfig } from "../ledger/deployment.ts";
import type { Account, GameOutcome, Ledger } from "../ledger/ledger.ts";
import type { Metrics } from "../run/metrics.ts";
import type { Trace } from "../run/trace.ts";
import type { World } from "../world/world.ts";
import type { MarketAgent, MarketRoles } from "./marketAgents.ts";
import { toWei, type MarketParams } from "./marketParams.ts";

export type JobEnd = "paid" | "rejected" | "cancelled";

/** One challenge of a job and how its game ended. */
export interface DisputeRecord {
  challenger: Account;
  /** The challenger re-executed as an adversary (synthetic traces: drew a made-up trace). */
  challengerLied: boolean;
  outcome: GameOutcome;
  reason: "referee" | "timeout";
  moves: number;
  step: number;
  node: number;
  /** Ops the referee recomputed for its ruling (0 on a timeout, and with synthetic traces). */
  refereeOps: number;
  /** Verde's off-chain referee on the same two parties gave the same outcome (null: no crossCheck). */
  verdeAgrees: boolean | null;
  /** ... and ended on the same step and graph node. */
  verdeSameNode: boolean | null;
}

export interface JobRecord {
  index: number;
  jobId: number;
  end: JobEnd;
  /** The solver trained as an adversary on this job. */
  solverLied: boolean;
  /** Its committed result differs from an honest run of the job (measured: real traces). */
  wrongResult: boolean;
  /** Assigned verifiers, and those that re-executed the job and compared. */
  verifiers: number;
  checks: number;
  /** Honest verifiers among those that re-executed (catch-rate expectation). */
  honestChecks: number;
  honestVerifiers: number;
  lyingVerifiers: number;
  /** Verifiers whose result differed but that did not challenge (window closed, job ended, no bond). */
  skippedChallenges: number;
  /** Every challenge raised in the window, in the order they were made (REFERENCE §1, §3). */
  disputes: DisputeRecord[];
}

export interface JobDeps {
  env: Environment;
  world: World;
  ledger: Ledger;
  trace: Trace;
  metrics: Metrics;
  params: MarketParams;
  /** The deployment's parameters (challenge window, minimum stakes, bond, genesis time). */
  config: LedgerConfig;
  roles: MarketRoles;
  runSeed: number;
  rng: Rng;
}

/** Who takes part in a job, drawn after the operator's assignment delay. */
export interface JobParties {
  submitter: MarketAgent;
  fee: bigint;
  solver: MarketAgent;
  verifiers: MarketAgent[];
}

function pickStaked(agents: MarketAgent[], count: number, min: bigint, deps: JobDeps, exclude: Set<string>): MarketAgent[] {
  const ok = agents.filter(
    (a) => !exclude.has(a.account) && deps.world.isAvailable(a.nodeId) && deps.ledger.stakeOf(a.account) >= min,
  );
  return deps.rng.shuffle(ok).slice(0, count);
}

/**
 * Draws the submitter and fee, waits the assignment delay and picks the parties; null when no
 * staked solver or verifier is available (then the job was posted and cancelled: `cancelled`).
 */
export function* drawParties(deps: JobDeps, index: number, specHash: `0x${string}`, graphNodes: number): ProcessGenerator<JobParties | JobRecord> {
  const { env, ledger, params, config, rng } = deps;
  const submitter = deps.roles.submitters[rng.int(deps.roles.submitters.length)];
  const fee = toWei(rng.uniform(params.feeUsd.min, params.feeUsd.max), "workload.feeUsd");
  yield env.timeout(Math.round(params.assignDelayS * SECOND));
  const [solver] = pickStaked(deps.roles.solvers, 1, config.market.minSolverStake, deps, new Set());
  const verifiers = solver ? pickStaked(deps.roles.verifiers, params.verifiersPerJob, config.market.minVerifierStake, deps, new Set([solver.account])) : [];
  if (solver && verifiers.length > 0) return { submitter, fee, solver, verifiers };
  const jobId = ledger.postJob(submitter.account, { fee, specHash, steps: params.steps, graphNodes });
  ledger.cancelJob(submitter.account, jobId);
  deps.trace.emit("job.cancelled", { job: jobId, reason: "no staked solver or verifier available", traces: params.traces });
  return { index, jobId, end: "cancelled", solverLied: false, wrongResult: false, verifiers: 0, checks: 0, honestChecks: 0, honestVerifiers: 0, lyingVerifiers: 0, skippedChallenges: 0, disputes: [] };
}

export function isRecord(x: JobParties | JobRecord): x is JobRecord {
  return "end" in x;
}
