// One job from post to settlement (REFERENCE §1): post with escrowed fee, assign a staked solver
// and verifiers, train and commit, verifiers re-run and any of them may challenge inside the
// window, each challenge goes to its own on-chain Verde game (playDispute), then pay (every game
// won by the solver) or refund (one lost); the loser of each game is slashed by the game itself.
import { SECOND, type Environment, type ProcessGenerator, type Rng, type SimEvent } from "../des/index.ts";
import type { Metrics } from "../run/metrics.ts";
import type { Trace } from "../run/trace.ts";
import type { World } from "../world/world.ts";
import { systemAccounts, type Account, type GameOutcome, type Ledger } from "../ledger/ledger.ts";
import { solverFault, trainTimeUs, verifierFault, verifierView, type MarketAgent, type MarketRoles } from "./marketAgents.ts";
import type { MarketParams } from "./marketParams.ts";
import { playDispute, type DisputeResult } from "./playDispute.ts";
import type { LedgerConfig } from "../ledger/deployment.ts";
import { toWei } from "./marketParams.ts";
import { jobSpecHash, TraceModel, type Fault } from "./traceModel.ts";
import { verdeVerdict, type VerdeVerdict } from "./verdeVerdict.ts";

export type JobEnd = "paid" | "rejected" | "cancelled";

/** One challenge of a job and how its game ended. */
export interface DisputeRecord {
  challenger: Account;
  /** The challenging verifier lied (a made-up trace). */
  challengerLied: boolean;
  result: DisputeResult;
}

export interface JobRecord {
  index: number;
  jobId: number;
  end: JobEnd;
  solverLied: boolean;
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
  /** Graph nodes per step of every job (the real program's with referee: verde). */
  graphNodes: number;
  roles: MarketRoles;
  runSeed: number;
  rng: Rng;
}

function pickStaked(agents: MarketAgent[], count: number, min: bigint, deps: JobDeps, exclude: Set<string>): MarketAgent[] {
  const ok = agents.filter(
    (a) => !exclude.has(a.account) && deps.world.isAvailable(a.nodeId) && deps.ledger.stakeOf(a.account) >= min,
  );
  return deps.rng.shuffle(ok).slice(0, count);
}

/** Microseconds until chain time reaches `chainSeconds` (at the first block at or after it). */
function untilChainTime(deps: JobDeps, chainSeconds: number): number {
  const b = deps.params.blockTimeS;
  const blocks = Math.ceil((chainSeconds - deps.config.genesisTime) / b);
  return Math.max(0, blocks * b * SECOND - deps.env.now);
}

export function* jobLifecycle(deps: JobDeps, index: number): ProcessGenerator<JobRecord> {
  const { env, ledger, params, config, trace, metrics, rng } = deps;
  const postedAt = env.now;
  const submitter = deps.roles.submitters[rng.int(deps.roles.submitters.length)];
  const fee = toWei(rng.uniform(params.feeUsd.min, params.feeUsd.max), "workload.feeUsd");
  const model = new TraceModel(jobSpecHash(deps.runSeed, index), params.steps, deps.graphNodes);
  const jobId = ledger.postJob(submitter.account, { fee, specHash: model.specHash, steps: params.steps, graphNodes: deps.graphNodes });
  trace.emit("job.posted", { job: jobId, submitter: submitter.account, fee: fee.toString() });

  yield env.timeout(Math.round(params.assignDelayS * SECOND));
  const [solver] = pickStaked(deps.roles.solvers, 1, config.market.minSolverStake, deps, new Set());
  const verifiers = solver ? pickStaked(deps.roles.verifiers, params.verifiersPerJob, config.market.minVerifierStake, deps, new Set([solver.account])) : [];
  if (!solver || verifiers.length === 0) {
    ledger.cancelJob(submitter.account, jobId);
    trace.emit("job.cancelled", { job: jobId, reason: "no staked solver or verifier available" });
    return { index, jobId, end: "cancelled", solverLied: false, disputes: [] };
  }
  ledger.assign(systemAccounts.operator, jobId, solver.account, verifiers.map((v) => v.account));
  trace.emit("job.assigned", { job: jobId, solver: solver.account, verifiers: verifiers.map((v) => v.account) });

  const fault = solverFault(solver, model, params, rng);
  yield env.timeout(trainTimeUs(deps.world, solver.nodeId, params.steps, params));
  const root = model.resultRoot(fault);
  ledger.commit(solver.account, jobId, root);
  const deadline = ledger.job(jobId).committedAt + config.market.challengeWindow;
  trace.emit("job.committed", { job: jobId, solver: solver.account, lied: fault !== null });

  // Every verifier re-runs in parallel; each one that disagrees challenges while the window is
  // open, also after someone else's challenge (open, or lost by its challenger): one lying
  // verifier's lost challenge must not shut out an honest one (REFERENCE §1, §3). It skips only
  // when a challenge with its own root is already on chain (read from the challenge
  // transactions): that one settles the same claim. Each challenge plays its own game, in parallel.
  const disputes: SimEvent<DisputeRecord>[] = [];
  const challengedRoots = new Set<string>();
  for (const v of verifiers) {
    const vFault = verifierFault(v, model, rng);
    const view = verifierView(vFault, fault, model, params, rng);
    const checkSteps = Math.max(1, Math.round(params.steps * params.verifySampleFraction));
    env.process(
      (function* (): ProcessGenerator<void> {
        yield env.timeout(trainTimeUs(deps.world, v.nodeId, checkSteps, params));
        if (view.root === root || challengedRoots.has(view.root)) return;
        const status = ledger.job(jobId).status;
        if ((status !== "Committed" && status !== "Disputed" && status !== "Upheld") || ledger.now() > deadline) return;
        if (ledger.balanceOf(v.account, "GSN") < config.dispute.bond) return;
        const gameId = ledger.challenge(v.account, jobId, view.root);
        challengedRoots.add(view.root);
        trace.emit("job.challenged", { job: jobId, game: gameId, challenger: v.account });
        disputes.push(env.process(settleDispute(deps, index, jobId, model, solver, fault, gameId, v, vFault), `dispute ${gameId}`));
      })(),
      `verify job ${jobId} by ${v.account}`,
    );
  }

  // No challenge is accepted after the deadline, so once the window closed the list is complete;
  // the job ends when every game it raised has resolved (JobMarket: no payout while one is open).
  yield env.timeout(untilChainTime(deps, deadline + 1));
  if (disputes.length > 0) yield env.allOf(disputes);
  const records = disputes.map((d) => d.value);
  if (ledger.job(jobId).status === "Rejected") {
    trace.emit("job.rejected", { job: jobId, disputes: records.length });
    metrics.record("market.job.settleS", (env.now - postedAt) / SECOND, { end: "rejected" });
    return { index, jobId, end: "rejected", solverLied: fault !== null, disputes: records };
  }
  const pay = ledger.finalize(solver.account, jobId);
  trace.emit("job.paid", { job: jobId, solver: pay.solver.toString(), perVerifier: pay.perVerifier.toString(), protocolFee: pay.protocolFee.toString() });
  metrics.record("market.job.settleS", (env.now - postedAt) / SECOND, { end: "paid" });
  return { index, jobId, end: "paid", solverLied: fault !== null, disputes: records };
}

/** One challenge's game: Verde decides the faults (referee: verde), then the chain's game is played. */
function* settleDispute(
  deps: JobDeps, index: number, jobId: number, model: TraceModel, solver: MarketAgent, fault: Fault | null,
  gameId: number, challenger: MarketAgent, challengerFault: Fault | null,
): ProcessGenerator<DisputeRecord> {
  const { env, ledger, params, config, trace, metrics, rng } = deps;
  const moveDelayUs = Math.round(params.moveDelayS * SECOND);
  const refereeDelayUs = Math.round(params.refereeDelayS * SECOND);
  let faults = { defenderFault: fault, challengerFault };
  if (params.referee === "verde") {
    const v: VerdeVerdict = yield env.process(
      verdeVerdict(env, {
        runSeed: deps.runSeed, index, steps: params.steps, defender: solver.account, challenger: challenger.account,
        defenderLies: fault !== null, challengerLies: challengerFault !== null, adversary: params.adversary, clockUs: config.dispute.clock * SECOND,
      }, rng),
      `verde ${jobId} ${gameId}`,
    );
    faults = { defenderFault: v.defenderFault, challengerFault: v.challengerFault };
    trace.emit("verde.verdict", { job: jobId, game: gameId, winner: v.outcome.winner, losers: v.outcome.losers.join(","), reason: v.outcome.reason, step: v.outcome.step, rounds: v.outcome.rounds, refereeFlops: v.outcome.refereeFlops, fullFlops: v.outcome.fullFlops });
    metrics.record("market.verde.refereeShare", v.outcome.fullFlops > 0 ? v.outcome.refereeFlops / v.outcome.fullFlops : 0);
  }
  const result: DisputeResult = yield env.process(
    playDispute(env, ledger, gameId, model, { defender: solver.account, challenger: challenger.account, ...faults }, { moveDelayUs, refereeDelayUs }),
    `play ${gameId}`,
  );
  trace.emit("dispute.resolved", { job: jobId, game: gameId, outcome: result.outcome, moves: result.moves, step: result.step, node: result.node, solverWon: solverWon(result.outcome) });
  metrics.record("market.dispute.moves", result.moves, { outcome: result.outcome });
  return { challenger: challenger.account, challengerLied: challengerFault !== null, result };
}

function solverWon(outcome: GameOutcome): boolean {
  return outcome === "DefenderWon";
}
