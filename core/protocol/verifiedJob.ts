// One job through the whole protocol loop (REFERENCE §1, §3): the submitter posts it with an
// escrowed fee, the operator assigns a staked solver and verifiers, the solver runs the job's real
// program on its backend (honestly, or as a core/agents adversary that corrupts the computation)
// and commits the real hash of its result; each sampled verifier re-executes the same program on
// its own backend and compares; a mismatch is a challenge on the ledger, played as a DisputeGame
// over both parties' real traces (chainDispute.ts) and ruled by the referee's one-op
// recomputation; after the window the job is paid (fee split, protocol fee into the
// BuybackVault) or, when the solver lost a game, refunded. Slashes and bonds move inside the game.
//
// This is the job / verification / settlement interface every workload plugs into: a market job,
// one worker's contribution to one training round, an RL Swarm or SkipPipe stage. A workload
// supplies the program (what the work is) and the providers (who runs it, on which backend, how
// honestly); detection is never decided by a flag: it is the comparison of two real hashes.
import { Environment, SECOND, type ProcessGenerator, type SimEvent } from "../des/index.ts";
import type { LedgerConfig } from "../ledger/deployment.ts";
import { systemAccounts, type Account, type Bytes32, type Ledger, type Payout } from "../ledger/ledger.ts";
import type { Backend } from "../ml/backend.ts";
import type { JsonValue } from "../run/json.ts";
import { disputeGame } from "../verde/disputeGame.ts";
import type { DisputeOutcome } from "../verde/disputeOutcome.ts";
import { commitmentBytes, type Commitment } from "../verde/messages.ts";
import { stateHash, type VerifiableProgram } from "../verde/program.ts";
import { simpleTransport } from "../verde/simpleTransport.ts";
import { Solver, type Behaviour } from "../verde/solver.ts";
import { ChainTrace, hex32 } from "./chainClaims.ts";
import { chainDispute, type ChainDisputeResult } from "./chainDispute.ts";

/** A party that runs the job: its account, world node, backend and behaviour (core/agents). */
export interface Provider {
  account: Account;
  nodeId: number;
  backend: Backend;
  behaviour: Behaviour;
}

export interface JobSpec {
  /** Readable name for traces, e.g. "diloco/main/round3/worker17". */
  name: string;
  submitter: Account;
  fee: bigint;
  specHash: Bytes32;
  /** The job's program on a backend: the same work (data, initial state, steps) for every party. */
  program(backend: Backend): VerifiableProgram<any>;
  solver: Provider;
  verifiers: Provider[];
  /** Per verifier: does it re-execute this job (sampled by the workload at its rate)? */
  checks: boolean[];
}

/** Where job events go (core/run's Trace, or a training context's trace). */
export interface TraceSink {
  emit(type: string, fields?: Record<string, JsonValue>): void;
}

export interface ProtocolDeps {
  env: Environment;
  ledger: Ledger;
  trace: TraceSink;
  config: LedgerConfig;
  /** Chain seconds per block (the ledger's clock follows the kernel in blocks of this size). */
  blockTimeS: number;
  /** The referee's reproducible backend (repops). */
  reference: Backend;
  /** Virtual time for world node `nodeId` to compute `flops` proxy FLOPs (virtual scaling included). */
  computeTimeUs(nodeId: number, flops: number): number;
  /** Fires when `bytes` from node `from` have arrived at node `to`. */
  send(from: number, to: number, bytes: number): SimEvent<unknown>;
  moveDelayUs: number;
  refereeDelayUs: number;
  /** Also run Verde's off-chain referee (core/verde) on the same two parties and record where it ends. */
  crossCheck: boolean;
}

export interface CheckRecord {
  verifier: Account;
  /** The verifier's own result hash equals the committed one. */
  match: boolean;
  /** The verifier challenged (it disagreed, the window was open and it could post the bond). */
  challenged: boolean;
  /** Why a disagreeing verifier did not challenge. */
  skipped: string | null;
  dispute: ChainDisputeResult | null;
  /** Verde's off-chain verdict on the same two parties (crossCheck). */
  verde: DisputeOutcome | null;
  verifierFlops: number;
}

export interface JobHandle {
  jobId: number;
  /** Fires once the solver committed; value: its Solver (finalState is the result it reports). */
  committed: SimEvent<Solver>;
  /** The solver's commitment (its real result hash is `result`). */
  solverCommitment: Commitment;
  /** Fires when every sampled verifier compared (and challenged, where it disagreed); games may still run. */
  checked: SimEvent<CheckRecord[]>;
  /** Fires when every sampled verifier compared and every game it opened ended. */
  verified: SimEvent<CheckRecord[]>;
  /** Fires when the job is paid or refunded. */
  settled: SimEvent<JobSettlement>;
}

export interface JobSettlement {
  end: "paid" | "rejected";
  payout: Payout | null;
  root: Bytes32;
}

/** Microseconds until chain time is past `chainSeconds` (the first block after it). */
function untilChainTimeAfter(deps: ProtocolDeps, chainSeconds: number): number {
  const b = deps.blockTimeS;
  const blocks = Math.floor((chainSeconds - deps.config.genesisTime) / b) + 1;
  return Math.max(0, blocks * b * SECOND - deps.env.now);
}

/** Trains `provider`'s copy of the job; returns its Solver and commitment (every step hashed: interval 1). */
function runProgram(spec: JobSpec, provider: Provider): { solver: Solver; commitment: Commitment } {
  const solver = new Solver({ id: provider.account, program: spec.program(provider.backend), behaviour: provider.behaviour, interval: 1 });
  return { solver, commitment: solver.train() };
}

/** Posts, assigns and starts job `spec`; returns its events (see JobHandle). */
export function startJob(deps: ProtocolDeps, spec: JobSpec): JobHandle {
  const { env, ledger, trace } = deps;
  const reference = spec.program(deps.reference);
  const steps = reference.steps;
  const graphNodes = reference.graph(0).nodes.length;
  const initialHash = hex32(stateHash(reference.stateTensors(reference.initialState())));
  const jobId = ledger.postJob(spec.submitter, { fee: spec.fee, specHash: spec.specHash, steps, graphNodes });
  ledger.assign(systemAccounts.operator, jobId, spec.solver.account, spec.verifiers.map((v) => v.account));
  trace.emit("job.assigned", { job: jobId, name: spec.name, solver: spec.solver.account, solverKind: spec.solver.behaviour.kind, verifiers: spec.verifiers.map((v) => v.account), checks: spec.checks.filter(Boolean).length });

  const committed = env.event<Solver>(`job ${jobId} committed`);
  const solverRun = runProgram(spec, spec.solver);
  const root = hex32(solverRun.commitment.result);
  env.process(
    (function* (): ProcessGenerator<void> {
      yield env.timeout(deps.computeTimeUs(spec.solver.nodeId, solverRun.solver.trainFlops));
      ledger.commit(spec.solver.account, jobId, root);
      trace.emit("job.committed", { job: jobId, solver: spec.solver.account, root });
      committed.succeed(solverRun.solver);
    })(),
    `job ${jobId} solver`,
  );

  const checks: SimEvent<CheckRecord>[] = [];
  const compared: CheckRecord[] = [];
  const checked = env.event<CheckRecord[]>(`job ${jobId} checked`);
  const expected = spec.checks.filter(Boolean).length;
  const comparedOne = (r: CheckRecord) => {
    compared.push(r);
    if (compared.length === expected) checked.succeed(spec.verifiers.flatMap((v) => compared.filter((c) => c.verifier === v.account)));
  };
  if (expected === 0) checked.succeed([]);
  spec.verifiers.forEach((v, k) => {
    if (!spec.checks[k]) return;
    checks.push(env.process(check(v), `job ${jobId} check by ${v.account}`));
  });
  function* check(v: Provider): ProcessGenerator<CheckRecord> {
    // The verifier re-executes while the solver trains; it compares once the commitment arrives.
    const own = runProgram(spec, v);
    const ownRoot = hex32(own.commitment.result);
    const t0 = env.now;
    yield env.timeout(deps.computeTimeUs(v.nodeId, own.solver.trainFlops));
    if (!committed.triggered) yield committed;
    yield deps.send(spec.solver.nodeId, v.nodeId, commitmentBytes(solverRun.commitment));
    const record: CheckRecord = { verifier: v.account, match: ownRoot === root, challenged: false, skipped: null, dispute: null, verde: null, verifierFlops: own.solver.trainFlops };
    trace.emit("job.check", { job: jobId, verifier: v.account, match: record.match, waitedUs: env.now - t0 });
    if (record.match) {
      comparedOne(record);
      return record;
    }
    const job = ledger.job(jobId);
    const deadline = job.committedAt + deps.config.market.challengeWindow;
    if (!["Committed", "Disputed", "Upheld"].includes(job.status)) record.skipped = `job is ${job.status}`;
    else if (ledger.now() > deadline) record.skipped = "challenge window closed";
    else if (ledger.balanceOf(v.account, "GSN") < deps.config.dispute.bond) record.skipped = "cannot post the bond";
    if (record.skipped !== null) {
      trace.emit("job.challenge.skipped", { job: jobId, verifier: v.account, reason: record.skipped });
      comparedOne(record);
      return record;
    }
    const gameId = ledger.challenge(v.account, jobId, ownRoot);
    record.challenged = true;
    trace.emit("job.challenged", { job: jobId, game: gameId, challenger: v.account });
    comparedOne(record);
    const defender = { account: spec.solver.account, trace: new ChainTrace(solverRun.solver) };
    const challenger = { account: v.account, trace: new ChainTrace(own.solver) };
    const nodeOf = new Map([[spec.solver.account, spec.solver.nodeId], [v.account, v.nodeId]]);
    const result: ChainDisputeResult = yield env.process(
      chainDispute({
        env, ledger, gameId, defender, challenger, refereeProgram: reference, initialHash,
        moveDelayUs: deps.moveDelayUs, refereeDelayUs: deps.refereeDelayUs, blockTimeS: deps.blockTimeS,
        computeTimeUs: (party, flops) => (flops > 0 ? deps.computeTimeUs(nodeOf.get(party.account)!, flops) : 0),
      }),
      `game ${gameId}`,
    );
    record.dispute = result;
    record.verifierFlops += challenger.trace.answerFlops;
    if (deps.crossCheck) record.verde = verdeOffChain(reference, solverRun.solver, own.solver, spec.name, deps.config.dispute.clock);
    trace.emit("dispute.resolved", {
      job: jobId, game: gameId, outcome: result.outcome, reason: result.reason, moves: result.moves, step: result.step, node: result.node,
      defenderClaimHi: result.defenderClaimHi, challengerClaimHi: result.challengerClaimHi, refereeHash: result.refereeHash, refereeOp: result.refereeOp?.id ?? null,
      ...(record.verde ? { verdeWinner: record.verde.winner, verdeStep: record.verde.step, verdeNode: record.verde.node?.index ?? null } : {}),
    });
    return record;
  }

  const verified = env.event<CheckRecord[]>(`job ${jobId} verified`);
  const settled = env.event<JobSettlement>(`job ${jobId} settled`);
  env.process(
    (function* (): ProcessGenerator<void> {
      if (!committed.triggered) yield committed;
      if (checks.length > 0) yield env.allOf(checks);
      verified.succeed(checks.map((c) => c.value));
      // No challenge is accepted after the window, so once it closed no game can start; the job
      // ends when every game it raised has resolved (JobMarket: no payout while one is open).
      yield env.timeout(untilChainTimeAfter(deps, ledger.job(jobId).committedAt + deps.config.market.challengeWindow));
      if (ledger.job(jobId).status === "Rejected") {
        trace.emit("job.rejected", { job: jobId });
        settled.succeed({ end: "rejected", payout: null, root });
        return;
      }
      const payout = ledger.finalize(spec.solver.account, jobId);
      trace.emit("job.paid", { job: jobId, solver: payout.solver.toString(), perVerifier: payout.perVerifier.toString(), protocolFee: payout.protocolFee.toString() });
      settled.succeed({ end: "paid", payout, root });
    })(),
    `job ${jobId} settlement`,
  );
  return { jobId, solverCommitment: solverRun.commitment, committed, checked, verified, settled };
}

/**
 * Verde's own referee (core/verde: Merkle descent over steps, then over graph nodes, one-op
 * recomputation) between the same two parties, in a kernel of its own: what the on-chain game
 * must agree with (same step, same node, same winner).
 */
export function verdeOffChain(reference: VerifiableProgram<any>, defender: Solver, challenger: Solver, jobId: string, clockS: number): DisputeOutcome {
  const env = new Environment();
  const initialHash = stateHash(reference.stateTensors(reference.initialState()));
  const commitments: [Commitment, Commitment] = [defender.lastCommitment!, challenger.lastCommitment!];
  const p = env.process(
    disputeGame({ env, transport: simpleTransport(env), referee: "referee", program: reference, initialHash, interval: 1, jobId, clockUs: clockS * SECOND }, [defender, challenger], commitments),
    `verde ${jobId}`,
  );
  env.run(p);
  return p.value;
}
