// One market job on SYNTHETIC traces (`traces: synthetic`, opt-in, for 100k+ node studies): no
// program is trained. A lying solver draws where its trace goes wrong (traceModel.ts), an honest
// verifier's detection is a draw per re-run step (verifierView), and the referee's ruling is the
// honest hash looked up from the model (syntheticDispute.ts), so an honest party cannot lose
// here by construction: findings about catching lies need `traces: real` (realJob.ts).
// Every event this module emits carries traces: "synthetic".
import { SECOND, type ProcessGenerator, type Rng, type SimEvent } from "../des/index.ts";
import { systemAccounts, type Bytes32 } from "../ledger/ledger.ts";
import { trainTimeUs, type MarketAgent } from "./marketAgents.ts";
import type { MarketParams } from "./marketParams.ts";
import { drawParties, isRecord, type DisputeRecord, type JobDeps, type JobRecord } from "./marketJob.ts";
import { playDispute, type DisputeResult } from "./syntheticDispute.ts";
import { jobSpecHash, TraceModel, type Fault } from "./traceModel.ts";

const SYNTHETIC = { traces: "synthetic" } as const;

/** Where a party's synthetic trace goes wrong: a random step and node, tagged with its account. */
function drawFault(agent: MarketAgent, model: TraceModel, rng: Rng): Fault {
  return { step: 1 + rng.int(model.steps), node: 1 + rng.int(model.graphNodes), tag: agent.account };
}

/**
 * The root a verifier holds after checking: an honest verifier re-runs each step with
 * probability `verifySampleFraction` from the agreed checkpoints and sees a fault when it re-runs
 * any step at or after the fault's first wrong step; then it holds the true root.
 */
export function verifierView(ownFault: Fault | null, solverFault: Fault | null, model: TraceModel, params: MarketParams, rng: Rng): Bytes32 {
  if (ownFault !== null) return model.resultRoot(ownFault);
  if (solverFault === null) return model.resultRoot(null);
  let detected = params.verifySampleFraction >= 1;
  for (let s = solverFault.step; !detected && s <= model.steps; s++) detected = rng.bernoulli(params.verifySampleFraction);
  return model.resultRoot(detected ? null : solverFault);
}

/** Microseconds until chain time reaches `chainSeconds` (at the first block at or after it). */
function untilChainTime(deps: JobDeps, chainSeconds: number): number {
  const b = deps.params.blockTimeS;
  const blocks = Math.ceil((chainSeconds - deps.config.genesisTime) / b);
  return Math.max(0, blocks * b * SECOND - deps.env.now);
}

export function* syntheticJob(deps: JobDeps, index: number): ProcessGenerator<JobRecord> {
  const { env, ledger, params, config, trace, rng } = deps;
  const model = new TraceModel(jobSpecHash(deps.runSeed, index), params.steps, params.graphNodes);
  const drawn = yield* drawParties(deps, index, model.specHash, params.graphNodes);
  if (isRecord(drawn)) return drawn;
  const { submitter, fee, solver, verifiers } = drawn;
  const jobId = ledger.postJob(submitter.account, { fee, specHash: model.specHash, steps: params.steps, graphNodes: params.graphNodes });
  ledger.assign(systemAccounts.operator, jobId, solver.account, verifiers.map((v) => v.account));
  trace.emit("job.assigned", { job: jobId, solver: solver.account, verifiers: verifiers.map((v) => v.account), ...SYNTHETIC });

  const fault = solver.lying && rng.bernoulli(params.lieProbability) ? drawFault(solver, model, rng) : null;
  yield env.timeout(trainTimeUs(deps.world, solver.nodeId, params.steps, params));
  const root = model.resultRoot(fault);
  ledger.commit(solver.account, jobId, root);
  const deadline = ledger.job(jobId).committedAt + config.market.challengeWindow;
  trace.emit("job.committed", { job: jobId, solver: solver.account, root, ...SYNTHETIC });

  // Each verifier that disagrees challenges while the window is open, unless a challenge with its
  // own root is already on chain (that one settles the same claim); each plays its own game.
  const disputes: SimEvent<DisputeRecord>[] = [];
  const challengedRoots = new Set<string>();
  let skipped = 0;
  for (const v of verifiers) {
    const vFault = v.lying ? drawFault(v, model, rng) : null;
    const viewRoot = verifierView(vFault, fault, model, params, rng);
    const checkSteps = Math.max(1, Math.round(params.steps * params.verifySampleFraction));
    env.process(
      (function* (): ProcessGenerator<void> {
        yield env.timeout(trainTimeUs(deps.world, v.nodeId, checkSteps, params));
        if (viewRoot === root || challengedRoots.has(viewRoot)) return;
        const status = ledger.job(jobId).status;
        const open = (status === "Committed" || status === "Disputed" || status === "Upheld") && ledger.now() <= deadline;
        if (!open || ledger.balanceOf(v.account, "GSN") < config.dispute.bond) {
          skipped++;
          return;
        }
        const gameId = ledger.challenge(v.account, jobId, viewRoot);
        challengedRoots.add(viewRoot);
        trace.emit("job.challenged", { job: jobId, game: gameId, challenger: v.account, ...SYNTHETIC });
        const timing = { moveDelayUs: Math.round(params.moveDelayS * SECOND), refereeDelayUs: Math.round(params.refereeDelayS * SECOND) };
        const parties = { defender: solver.account, challenger: v.account, defenderFault: fault, challengerFault: vFault };
        disputes.push(env.process(settle(gameId, v, vFault !== null, parties, timing), `dispute ${gameId}`));
      })(),
      `verify job ${jobId} by ${v.account}`,
    );
  }
  function* settle(gameId: number, v: MarketAgent, lied: boolean, parties: Parameters<typeof playDispute>[4], timing: Parameters<typeof playDispute>[5]): ProcessGenerator<DisputeRecord> {
    const r: DisputeResult = yield env.process(playDispute(env, ledger, gameId, model, parties, timing), `play ${gameId}`);
    trace.emit("dispute.resolved", { job: jobId, game: gameId, outcome: r.outcome, reason: r.reason, moves: r.moves, step: r.step, node: r.node, ...SYNTHETIC });
    return { challenger: v.account, challengerLied: lied, outcome: r.outcome, reason: r.reason, moves: r.moves, step: r.step, node: r.node, refereeOps: 0, verdeAgrees: null, verdeSameNode: null };
  }

  // No challenge is accepted after the deadline: once the window closed the list is complete.
  yield env.timeout(untilChainTime(deps, deadline + 1));
  if (disputes.length > 0) yield env.allOf(disputes);
  const records = disputes.map((d) => d.value);
  const rejected = ledger.job(jobId).status === "Rejected";
  if (rejected) trace.emit("job.rejected", { job: jobId, disputes: records.length, ...SYNTHETIC });
  else {
    const pay = ledger.finalize(solver.account, jobId);
    trace.emit("job.paid", { job: jobId, solver: pay.solver.toString(), perVerifier: pay.perVerifier.toString(), protocolFee: pay.protocolFee.toString(), ...SYNTHETIC });
  }
  const honest = verifiers.filter((v) => !v.lying).length;
  return {
    index, jobId, end: rejected ? "rejected" : "paid", solverLied: fault !== null, wrongResult: fault !== null, verifiers: verifiers.length,
    checks: verifiers.length, honestChecks: honest, honestVerifiers: honest, lyingVerifiers: verifiers.length - honest, skippedChallenges: skipped, disputes: records,
  };
}
