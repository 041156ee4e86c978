// Each worker's contribution to a DiLoCo round as a protocol job (verifiedJob.ts; REFERENCE §1,
// §3, §5): the job's program is that worker's own round: its H inner AdamW steps from the round's
// global weights and its own AdamW moments and step count, on its own shard's batches for that
// round. The worker (solver) runs it on its backend, honestly or as its core/agents behaviour, and
// the state it ends with IS its contribution: those weights enter the all-reduce unless a
// verifier's re-execution disagrees. Stakes, fees, bonds and slashes are ledger calls.
import { behaviours, type BehaviourKind, type BehaviourOptions } from "../agents/index.ts";
import { SECOND, type ProcessGenerator, type SimEvent } from "../des/index.ts";
import type { LedgerConfig } from "../ledger/deployment.ts";
import { systemAccounts, type Account, type Bytes32, type Ledger } from "../ledger/ledger.ts";
import type { Backend } from "../ml/backend.ts";
import { hashBytes, toHex } from "../ml/hash.ts";
import { buildMlp } from "../ml/models/mlp.ts";
import { buildTrainStep, type TrainStepGraph } from "../ml/trainStep.ts";
import { paramLayout } from "../train/graphEngine.ts";
import { fillBatch } from "../train/proxyTask.ts";
import type { ReplicaSet } from "../train/replicaSet.ts";
import type { TrainContext } from "../train/trainContext.ts";
import { GraphProgram, type GraphState } from "../verde/graphProgram.ts";
import type { VerifiableProgram } from "../verde/program.ts";
import { HONEST, Solver } from "../verde/solver.ts";
import { hex32 } from "./chainClaims.ts";
import { startJob, type CheckRecord, type JobHandle, type JobSettlement, type ProtocolDeps, type TraceSink } from "./verifiedJob.ts";

/** Where a training arm settles: the run's ledger (protocol workload) or an arm-local one. */
export interface Settlement {
  ledger: Ledger;
  config: LedgerConfig;
  blockTimeS: number;
  trace: TraceSink;
}

export interface RoundJobsOptions {
  ctx: TrainContext;
  arm: string;
  /** Names the jobs' programs (`<algorithm>/<arm>/round<r>/worker<w>`); default "diloco". */
  algorithm?: string;
  replicas: ReplicaSet;
  /** World node of each worker. */
  nodes: readonly number[];
  /** Nodes that only verify (assigned in turn); without any, another honest-looking worker verifies. */
  verifierNodes: readonly number[];
  settlement: Settlement;
  /** The adversary kind of each lying worker. */
  liars: ReadonlyMap<number, BehaviourKind>;
  /** Options of the adversaries' behaviours (poison's scale). */
  adversary?: BehaviourOptions;
  /** Probability that a contribution's verifier re-executes it. */
  rate: number;
  /** Virtual training FLOPs of one worker step (DESIGN: Learning, two scales). */
  virtualFlopsPerStep: number;
  backendFor(nodeId: number): Backend;
  reference: Backend;
  feeWei: bigint;
  stakeWei: bigint;
  moveDelayS: number;
  refereeDelayS: number;
  crossCheck: boolean;
  /** Also run each liar's round honestly (ground truth for metrics only, never for decisions). */
  groundTruth: boolean;
}

export interface ContributionRecord {
  round: number;
  worker: number;
  jobId: number;
  kind: string;
  /** The committed result differs from what an honest run of the same job gives (groundTruth). */
  wrong: boolean | null;
  /** A verifier re-executed it; its hash matched? (null: not checked). */
  checked: boolean;
  match: boolean | null;
  check: CheckRecord | null;
  settlement: JobSettlement | null;
  /** Microseconds from the round's start until the worker committed. */
  committedAfterUs: number;
}

export interface RoundResult {
  records: ContributionRecord[];
  /** Workers whose contribution a verifier disputed (held out of the all-reduce). */
  challenged: Set<number>;
}

export const TRAINER_ACCOUNT: Account = "trainer";

export class RoundJobs {
  readonly records: ContributionRecord[] = [];
  readonly handles: JobHandle[] = [];
  /** Proxy FLOPs the workers spent on their contributions (what verifier FLOPs compare with). */
  solverFlops = 0;
  private readonly o: RoundJobsOptions;
  private readonly train: TrainStepGraph;
  private readonly states = new Map<number, Float32Array[]>();
  private readonly deps: ProtocolDeps;
  private readonly busy = new Map<number, number>();
  private readonly accountOf: (node: number) => Account;

  constructor(o: RoundJobsOptions) {
    this.o = o;
    const { task, batch } = o.replicas;
    const shape = o.replicas.mlp.shape;
    this.train = buildTrainStep((g) => buildMlp(g, { inDim: task.config.inputs, hidden: [shape.hidden], classes: shape.classes, batch }), {
      kind: "adamw", beta1: o.replicas.inner.beta1, beta2: o.replicas.inner.beta2, eps: o.replicas.inner.eps, weightDecay: o.replicas.inner.weightDecay, ...(o.replicas.inner.clip ? { clipNorm: o.replicas.inner.clip } : {}),
    });
    const { ctx } = o;
    const proxyStepFlops = this.program(0, 0, new Float32Array(o.replicas.P), 1, o.reference).stepFlops(0);
    const flopsScale = o.virtualFlopsPerStep / proxyStepFlops;
    const env = ctx.env;
    this.accountOf = (node) => `n${node}`;
    this.deps = {
      env, ledger: o.settlement.ledger, trace: o.settlement.trace, config: o.settlement.config, blockTimeS: o.settlement.blockTimeS,
      reference: o.reference, crossCheck: o.crossCheck,
      moveDelayUs: Math.round(o.moveDelayS * SECOND), refereeDelayUs: Math.round(o.refereeDelayS * SECOND),
      // A node works on one job at a time: its compute queues behind what it is already doing.
      computeTimeUs: (node, flops) => {
        const dur = ctx.world.computeTimeUs(node, flops * flopsScale);
        const start = Math.max(env.now, this.busy.get(node) ?? 0);
        this.busy.set(node, start + dur);
        return start + dur - env.now;
      },
      send: (from, to, bytes) => ctx.world.network.send(from, to, bytes) as SimEvent<unknown>,
    };
  }

  /** Funds and stakes every worker and verifier, and funds the trainer that pays for contributions. */
  fund(totalContributions: number): void {
    const { ledger, config } = this.o.settlement;
    for (const node of [...this.o.nodes, ...this.o.verifierNodes]) {
      const a = this.accountOf(node);
      ledger.transfer(systemAccounts.deployer, a, "GSN", this.o.stakeWei + 10n * config.dispute.bond);
      ledger.stake(a, this.o.stakeWei);
    }
    ledger.mintUsd(systemAccounts.deployer, TRAINER_ACCOUNT, this.o.feeWei * BigInt(totalContributions));
  }

  /** Worker w's round r from `start` (its start weights), h inner steps, on `backend`. */
  program(w: number, r: number, start: Float32Array, h: number, backend: Backend): GraphProgram {
    const o = this.o;
    const rs = o.replicas;
    const layout = paramLayout(rs.mlp.shape);
    const params = new Map(layout.map(([name, off, n]) => [name, start.slice(off, off + n)] as [string, Float32Array]));
    const states = this.states.get(w);
    const stepOffset = rs.steps[w];
    const x = new Float32Array(rs.batch * rs.task.config.inputs);
    const y = new Int32Array(rs.batch);
    return new GraphProgram({
      name: `${o.algorithm ?? "diloco"}/${o.arm}/round${r}/worker${w}`,
      train: this.train,
      backend,
      steps: h,
      initialParams: params,
      initialStates: states ? new Map(this.train.states.map((nm, k) => [nm, states[k]] as [string, Float32Array])) : undefined,
      stepOffset,
      batch: (i) => {
        fillBatch(rs.task, rs.shards[w], o.ctx.streams.stream("train", o.arm, "job", w, r, i), rs.batch, 0, x, y);
        return { x: x.slice(), y: Float32Array.from(y) };
      },
      lr: (i) => rs.inner.lr * rs.lrScale(stepOffset + i + 1),
    });
  }

  /** The verifier of worker w's k-th job: verifier nodes in turn (else the next workers), skipping any below the minimum stake; null when none qualifies. */
  private verifierFor(w: number, k: number): number | null {
    const { verifierNodes, nodes, settlement } = this.o;
    const min = settlement.config.market.minVerifierStake;
    const pool = verifierNodes.length > 0 ? verifierNodes.map((_, i) => verifierNodes[(k + i) % verifierNodes.length]) : nodes.map((_, d) => nodes[(w + 1 + d) % nodes.length]).filter((n) => n !== nodes[w]);
    return pool.find((n) => settlement.ledger.stakeOf(this.accountOf(n)) >= min) ?? null;
  }

  /**
   * Runs round r of the active workers as jobs, each from `start`: the round's global weights, or
   * each worker's own (NoLoCo's slow weights phi_w). Resolves once every contribution is committed
   * and every sampled check compared (games play on in the background; their outcomes land in the
   * records). Writes each worker's committed weights into replicas.theta. `steps`: inner steps of
   * every job, or of each worker's (HDEE's experts of different lengths). `slot(k)` numbers the
   * k-th job for the verifier rotation (default: r x active + k).
   */
  *round(
    r: number,
    active: readonly number[],
    start: Float32Array | ((w: number) => Float32Array),
    steps: number | ((w: number) => number),
    verifyRng: { bernoulli(p: number): boolean },
    slot: (k: number) => number = (k) => r * active.length + k,
  ): ProcessGenerator<RoundResult> {
    const o = this.o;
    const env = o.ctx.env;
    const t0 = env.now;
    const started = active.map((w, k) => {
      const global = typeof start === "function" ? start(w) : start;
      const h = typeof steps === "function" ? steps(w) : steps;
      const node = o.nodes[w];
      const kind: BehaviourKind = o.liars.get(w) ?? "honest";
      const reference = this.program(w, r, global, h, o.reference);
      const behaviour = kind === "honest" ? HONEST : behaviours(kind, reference, o.ctx.streams.stream("train", o.arm, "lie", r, w), 1, o.adversary)[0];
      const verifier = this.verifierFor(w, slot(k));
      const specHash = hex32(hashBytes(new TextEncoder().encode(`${o.arm}|round ${r}|worker ${w}|start ${toHex(hashBytes(new Uint8Array(global.buffer, global.byteOffset, global.byteLength)))}`)));
      const handle = startJob(this.deps, {
        name: reference.name,
        submitter: TRAINER_ACCOUNT,
        fee: o.feeWei,
        specHash: specHash as Bytes32,
        program: (backend) => (backend === o.reference ? reference : this.program(w, r, global, h, backend)),
        solver: { account: this.accountOf(node), nodeId: node, backend: o.backendFor(node), behaviour },
        verifiers: verifier === null ? [] : [{ account: this.accountOf(verifier), nodeId: verifier, backend: o.backendFor(verifier), behaviour: HONEST }],
        checks: verifier === null ? [] : [verifyRng.bernoulli(o.rate)],
      });
      this.handles.push(handle);
      const record: ContributionRecord = { round: r, worker: w, jobId: handle.jobId, kind, wrong: null, checked: false, match: null, check: null, settlement: null, committedAfterUs: 0 };
      if (kind !== "honest" && o.groundTruth) {
        const truth = new Solver({ id: "ground-truth", program: reference });
        truth.train();
        record.wrong = hex32(truth.lastCommitment!.result) !== hex32(handle.solverCommitment.result);
      } else if (kind === "honest") record.wrong = false;
      handle.settled.addCallback(() => (record.settlement = handle.settled.value));
      this.records.push(record);
      return { w, h, handle, record };
    });
    const challenged = new Set<number>();
    for (const s of started) {
      if (!s.handle.committed.triggered) yield s.handle.committed;
      s.record.committedAfterUs = env.now - t0;
      const solver = s.handle.committed.value;
      this.solverFlops += solver.trainFlops;
      const state = solver.finalState as GraphState;
      const layout = paramLayout(o.replicas.mlp.shape);
      this.train.params.forEach((p, k) => {
        const off = layout.find(([name]) => name === p.name)![1];
        o.replicas.theta.set(state[k], s.w * o.replicas.P + off);
      });
      this.states.set(s.w, state.slice(this.train.params.length) as Float32Array[]);
      o.replicas.steps[s.w] += s.h;
    }
    for (const s of started) {
      if (!s.handle.checked.triggered) yield s.handle.checked;
      const c = s.handle.checked.value[0] ?? null;
      s.record.checked = c !== null;
      s.record.match = c === null ? null : c.match;
      s.record.check = c;
      if (c !== null && c.challenged) challenged.add(s.w);
    }
    return { records: started.map((s) => s.record), challenged };
  }
}
