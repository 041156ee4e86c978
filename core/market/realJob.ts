// One market job on REAL traces (the default, REFERENCE §1, §3): the job's program is a real
// small MLP seeded per job (marketJobProgram.ts); core/protocol's startJob posts and assigns it,
// the solver trains it honestly or as `params.adversary` (its corrupted computation produces the
// hash it commits), each verifier that re-executes (an honest one with probability
// verifySampleFraction; a lying one always, as the adversary) compares result hashes, and a
// mismatch is a challenge played on chain with both parties' real hashes and ruled by the
// referee's one-op recomputation. Nothing here decides detection or a ruling: the hashes do.
import { behaviours } from "../agents/index.ts";
import type { ProcessGenerator } from "../des/index.ts";
import { SECOND } from "../des/index.ts";
import type { Backend } from "../ml/backend.ts";
import { hashEqual } from "../ml/hash.ts";
import { startJob, type CheckRecord, type JobSettlement, type ProtocolDeps, type Provider } from "../protocol/verifiedJob.ts";
import { gameOutcomeOf } from "../verde/disputeOutcome.ts";
import type { VerifiableProgram } from "../verde/program.ts";
import { HONEST, Solver } from "../verde/solver.ts";
import type { MarketAgent } from "./marketAgents.ts";
import { marketJobProgram } from "./marketJobProgram.ts";
import { drawParties, isRecord, type DisputeRecord, type JobDeps, type JobRecord } from "./marketJob.ts";

/** The result hash of an honest run of `program`: ground truth for the summary's lie counts, never
 * an input to detection or to a ruling (those compare the parties' own hashes). */
function honestResult(program: VerifiableProgram<any>): Uint8Array {
  return new Solver({ id: "ground-truth", program, behaviour: HONEST, interval: 1 }).train().result;
}

export function* realJob(deps: JobDeps, protocol: ProtocolDeps, kernelOf: (node: number) => Backend, index: number): ProcessGenerator<JobRecord> {
  const { env, params, rng, metrics } = deps;
  const postedAt = env.now;
  const job = marketJobProgram(deps.runSeed, index, params.steps);
  const reference = job.on(protocol.reference);
  const drawn = yield* drawParties(deps, index, job.specHash, reference.graph(0).nodes.length);
  if (isRecord(drawn)) return drawn;
  const { submitter, fee, solver, verifiers } = drawn;
  const solverLied = solver.lying && rng.bernoulli(params.lieProbability);
  const provider = (a: MarketAgent, lies: boolean): Provider => ({
    account: a.account, nodeId: a.nodeId, backend: kernelOf(a.nodeId), behaviour: lies ? behaviours(params.adversary, reference, rng)[0] : HONEST,
  });
  const checks = verifiers.map((v) => v.lying || rng.bernoulli(params.verifySampleFraction));
  const handle = startJob(protocol, {
    name: `market/job${index}`, submitter: submitter.account, fee, specHash: job.specHash, program: (b) => job.on(b),
    solver: provider(solver, solverLied), verifiers: verifiers.map((v) => provider(v, v.lying)), checks,
  });
  const wrongResult = solverLied && !hashEqual(handle.solverCommitment.result, honestResult(reference));
  const settlement: JobSettlement = yield handle.settled;
  metrics.record("market.job.settleS", (env.now - postedAt) / SECOND, { end: settlement.end });
  const disputes = handle.verified.value.filter((c) => c.dispute !== null).map((c) => disputeRecord(c, solver.account, verifiers));
  for (const d of disputes) metrics.record("market.dispute.moves", d.moves, { outcome: d.outcome });
  const honestVerifiers = verifiers.filter((v) => !v.lying).length;
  return {
    index, jobId: handle.jobId, end: settlement.end, solverLied, wrongResult, verifiers: verifiers.length,
    checks: checks.filter(Boolean).length, honestChecks: verifiers.filter((v, k) => !v.lying && checks[k]).length,
    honestVerifiers, lyingVerifiers: verifiers.length - honestVerifiers, skippedChallenges: handle.verified.value.filter((c) => c.skipped !== null).length, disputes,
  };
}

function disputeRecord(c: CheckRecord, solver: string, verifiers: MarketAgent[]): DisputeRecord {
  const d = c.dispute!;
  return {
    challenger: c.verifier,
    challengerLied: verifiers.find((v) => v.account === c.verifier)!.lying,
    outcome: d.outcome, reason: d.reason, moves: d.moves, step: d.step, node: d.node, refereeOps: d.refereeOps,
    verdeAgrees: c.verde === null ? null : gameOutcomeOf(c.verde, solver) === d.outcome,
    verdeSameNode: c.verde === null ? null : c.verde.step === d.step && (c.verde.node?.index ?? null) === d.node,
  };
}
