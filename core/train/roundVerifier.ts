// Liars and verifiers inside a DiLoCo arm (REFERENCE §1, §3, §5; issue 5 item 4): which workers
// lie (drawn from the stream ("train", arm, "adversaries")), how a lying worker's round is really
// corrupted before it enters the all-reduce, and the check of a sampled contribution: a verifier
// node re-executes the round (compute time from its hardware), the worker sends its commitment
// over world.network, and on mismatch a Verde dispute on that round (dilocoRoundJob) decides.
import { behaviours } from "../agents/index.ts";
import type { ProcessGenerator } from "../des/process.ts";
import { ProtocolError } from "../errors.ts";
import { disputeGame } from "../verde/disputeGame.ts";
import type { DisputeOutcome } from "../verde/disputeOutcome.ts";
import { commitmentBytes, type Commitment } from "../verde/messages.ts";
import { stateHash } from "../verde/program.ts";
import { HONEST, Solver } from "../verde/solver.ts";
import type { Scales } from "./armSetup.ts";
import { dilocoRoundJob } from "./dilocoRoundJob.ts";
import type { ReplicaSet } from "./replicaSet.ts";
import type { TrainContext } from "./trainContext.ts";
import type { DilocoParams } from "./trainParams.ts";

/** Bytes of a round's result commitment on the wire (two hashes and a step count, REFERENCE §3). */
export const ROUND_COMMITMENT_BYTES = 2 * 32 + 8;

/** The liars among W workers: round(fraction x W) of them, drawn without replacement, ascending. */
export function chooseLiars(ctx: TrainContext, arm: string, W: number, fraction: number): Set<number> {
  const n = Math.round(fraction * W);
  const order = Array.from({ length: W }, (_, w) => w);
  const rng = ctx.streams.stream("train", arm, "adversaries");
  for (let i = W - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Set(order.slice(0, n).sort((a, b) => a - b));
}

/**
 * A wrong-step liar's reported weights: its pseudo-gradient sign-flipped and scaled by `scale`
 * (theta_w <- global + scale x (global - theta_w)), the poisoning that pulls the global model back.
 * A lazy liar needs no corruption here: it skipped its inner steps, so theta_w = global.
 */
export function corruptRound(replicas: ReplicaSet, global: Float32Array, w: number, scale: number): void {
  const P = replicas.P;
  const o = w * P;
  for (let j = 0; j < P; j++) replicas.theta[o + j] = Math.fround(global[j] + Math.fround(scale * Math.fround(global[j] - replicas.theta[o + j])));
}

export interface CheckResult {
  caught: boolean;
  verifierFlops: number;
  dispute: DisputeOutcome | null;
}

export interface CheckSpec {
  ctx: TrainContext;
  arm: string;
  p: DilocoParams;
  replicas: ReplicaSet;
  scales: Scales;
  round: number;
  worker: number;
  workerNode: number;
  verifierNode: number;
  /** The round's starting global weights. */
  start: Float32Array;
  h: number;
  liar: boolean;
  /** When the worker's result is ready (us from the round's start). */
  workerDoneUs: number;
  /** Per verifier node: us of the round it is already booked for (checks on one node queue up). */
  busy: Map<number, number>;
}

/**
 * One check of one contribution: the verifier recomputes the round while the worker trains, the
 * worker sends its commitment to the verifier, and they compare. A liar's commitment differs, so
 * the verifier challenges and a Verde dispute on the round is played over the world's network.
 */
export function* checkContribution(c: CheckSpec): ProcessGenerator<CheckResult> {
  const { ctx, scales } = c;
  const env = ctx.env;
  const t0 = env.now;
  const recompute = c.h * scales.flopsPerStep;
  const begin = c.busy.get(c.verifierNode) ?? 0;
  const verifierUs = begin + ctx.world.computeTimeUs(c.verifierNode, recompute);
  c.busy.set(c.verifierNode, verifierUs);
  yield env.timeout(Math.max(0, c.workerDoneUs - (env.now - t0)));
  yield ctx.world.network.send(c.workerNode, c.verifierNode, ROUND_COMMITMENT_BYTES);
  yield env.timeout(Math.max(0, verifierUs - (env.now - t0)));
  if (!c.liar) return { caught: false, verifierFlops: recompute, dispute: null };
  // Mismatch: the verifier challenges and the round is disputed with Verde (REFERENCE §3).
  const job = dilocoRoundJob({ name: `diloco/${c.arm}/round${c.round}/worker${c.worker}`, task: c.replicas.task, shard: c.replicas.shards[c.worker], start: c.start, hidden: c.p.hidden, H: c.h, batch: c.p.batch, lr: c.p.inner.lr, streams: ctx.streams });
  const kind = c.p.adversaries!.kind;
  const liarId = `worker${c.worker}`;
  const verifierId = `verifier${c.verifierNode}`;
  const refereeId = "referee";
  const solvers: [Solver, Solver] = [
    new Solver({ id: liarId, program: job, behaviour: behaviours(kind, job, ctx.streams.stream("train", c.arm, "lie", c.round, c.worker))[0] }),
    new Solver({ id: verifierId, program: job, behaviour: HONEST }),
  ];
  const commitments = solvers.map((s) => s.train()) as [Commitment, Commitment];
  const proxyStepFlops = job.stepFlops(0);
  const flopsScale = proxyStepFlops > 0 ? scales.flopsPerStep / proxyStepFlops : 1;
  const nodeOf = (id: string) => (id === liarId ? c.workerNode : id === verifierId ? c.verifierNode : c.verifierNode);
  yield ctx.world.network.send(c.workerNode, c.verifierNode, commitmentBytes(commitments[0]));
  const outcome: DisputeOutcome = yield env.process(
    disputeGame(
      {
        env,
        transport: { send: (a, b, bytes) => ctx.world.network.send(nodeOf(a), nodeOf(b), bytes), computeTimeUs: (id, flops) => ctx.world.computeTimeUs(nodeOf(id), flops * flopsScale) },
        referee: refereeId,
        program: job,
        initialHash: stateHash(job.stateTensors(job.initialState())),
        interval: 1,
        jobId: job.name,
        clockUs: c.p.verification.clockSeconds * 1e6,
      },
      solvers,
      commitments,
    ),
    `verde ${job.name}`,
  );
  if (outcome.winner !== verifierId) throw new ProtocolError(`dispute ${job.name}: the honest verifier did not win (winner ${outcome.winner}, reason ${outcome.reason})`);
  const verifierFlops = recompute + (solvers[1].answerFlops + outcome.refereeFlops) * flopsScale;
  return { caught: true, verifierFlops, dispute: outcome };
}
