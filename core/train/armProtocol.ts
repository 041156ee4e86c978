// A DiLoCo arm's contributions as protocol jobs (core/protocol/roundJobs.ts; REFERENCE §1, §3):
// who lies and how (core/agents kinds, drawn from the arm's stream), where the jobs settle, which
// workers are held out (a pending challenge) or out for good (a lost dispute), and the summary
// that measures detection from what happened on the ledger, not from labels.
import type { BehaviourKind } from "../agents/index.ts";
import { SECOND, type ProcessGenerator } from "../des/index.ts";
import { ConfigError } from "../errors.ts";
import { defaultLedgerConfig } from "../ledger/deployment.ts";
import { MemoryLedger } from "../ledger/memoryLedger.ts";
import type { Backend } from "../ml/backend.ts";
import { RoundJobs, type ContributionRecord, type Settlement } from "../protocol/roundJobs.ts";
import type { Scales } from "./armSetup.ts";
import type { ReplicaSet } from "./replicaSet.ts";
import type { TrainAccount } from "./trainAccount.ts";
import type { TrainContext } from "./trainContext.ts";
import type { ProtocolParams } from "./trainParams.ts";

const wei = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
const tokens = (x: bigint) => Number(x / 10n ** 12n) / 1e6;

/** For each kind, round(fraction x W) liars, drawn without replacement from the arm's stream. */
export function chooseLiars(ctx: TrainContext, arm: string, W: number, fraction: number, kinds: readonly BehaviourKind[]): Map<number, BehaviourKind> {
  const order = Array.from({ length: W }, (_, w) => w);
  const rng = ctx.streams.stream("train", arm, "adversaries");
  for (let i = W - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const per = Math.round(fraction * W);
  if (per * kinds.length > W) throw new ConfigError(`workload ${arm}: adversaries ${fraction} x ${kinds.length} kinds of ${W} workers is more liars than workers`);
  const liars = new Map<number, BehaviourKind>();
  kinds.forEach((kind, k) => order.slice(k * per, (k + 1) * per).forEach((w) => liars.set(w, kind)));
  return new Map([...liars].sort((a, b) => a[0] - b[0]));
}

/** The arm-local ledger when the run gives none: in memory, chain time following the kernel (1 s blocks). */
function localSettlement(ctx: TrainContext): Settlement {
  const config = defaultLedgerConfig;
  const ledger = new MemoryLedger(config, { clock: () => config.genesisTime + Math.floor(ctx.env.now / SECOND) });
  return { ledger, config, blockTimeS: 1, trace: ctx.trace };
}

/** The arm's contributions as protocol jobs when it has liars or verifiers; else null (plain computation). */
export function armProtocolFor(ctx: TrainContext, arm: string, p: ProtocolParams & { steps: number; H: number }, replicas: ReplicaSet, nodes: readonly number[], scales: Scales, o: { algorithm: string; contributions?: number }): ArmProtocol | null {
  return p.adversaries !== null || p.verification.rate > 0 ? new ArmProtocol(ctx, arm, p, replicas, nodes, scales, o) : null;
}

export class ArmProtocol {
  readonly liars: Map<number, BehaviourKind>;
  readonly jobs: RoundJobs;
  readonly settlement: Settlement;
  /** Workers that lost a dispute: out for good. Workers with a challenge pending: held out until it ends. */
  readonly excluded = new Set<number>();
  readonly suspended = new Set<number>();
  private readonly stakeWei: bigint;
  private readonly accounts: string[];

  /** Sampled re-executions of the arms that use contribute(): the stream ("train", arm, "verify"). */
  private readonly verifyRng: { bernoulli(p: number): boolean };

  /**
   * `p`: the arm's adversaries and verification, its steps and H; `o.contributions`: jobs the
   * trainer funds (default W x ceil(steps / H), one per worker-round); `o.algorithm` names the
   * jobs' programs.
   */
  constructor(
    private readonly ctx: TrainContext,
    private readonly arm: string,
    private readonly p: ProtocolParams & { steps: number; H: number },
    replicas: ReplicaSet,
    nodes: readonly number[],
    scales: Scales,
    o: { algorithm?: string; contributions?: number } = {},
  ) {
    this.verifyRng = ctx.streams.stream("train", arm, "verify");
    const W = nodes.length;
    this.liars = p.adversaries === null ? new Map() : chooseLiars(ctx, replicas.streamKey, W, p.adversaries.fraction, p.adversaries.kinds);
    this.settlement = ctx.settlement ?? localSettlement(ctx);
    const workerNodes = new Set(nodes);
    const verifierNodes = ctx.world.nodes.map((n) => n.id).filter((id) => !workerNodes.has(id));
    const v = p.verification;
    const reference = ctx.backends?.get("repops") ?? ctx.mlBackend;
    if (!reference?.reproducible) throw new ConfigError(`workload ${arm}: verification needs the repops backend loaded for the referee`);
    const hardwareOf = (node: number) => (ctx.world as { nodes: readonly { id: number; hardware?: { name: string } }[] }).nodes[node].hardware?.name ?? "";
    for (const [hw, b] of Object.entries(v.backendByHardware)) {
      if (!ctx.backends?.has(b)) throw new ConfigError(`workload ${arm}: verification.backendByHardware.${hw}: backend ${JSON.stringify(b)} is not loaded (loaded: ${[...(ctx.backends?.keys() ?? [])].join(", ") || "none"})`);
    }
    const backendFor = (node: number): Backend => {
      const name = v.backendByHardware[hardwareOf(node)] ?? v.backendByHardware.default;
      return name === undefined ? ctx.mlBackend! : ctx.backends!.get(name)!;
    };
    this.stakeWei = wei(v.stakeGsn);
    this.accounts = [...nodes, ...verifierNodes].map((n) => `n${n}`);
    this.jobs = new RoundJobs({
      ctx, arm: replicas.streamKey, algorithm: o.algorithm, replicas, nodes, verifierNodes, settlement: this.settlement, liars: this.liars, adversary: { scale: p.adversaries?.scale }, rate: v.rate,
      virtualFlopsPerStep: scales.flopsPerStep, backendFor, reference, feeWei: wei(v.feeUsd), stakeWei: this.stakeWei,
      moveDelayS: v.moveDelayS, refereeDelayS: v.refereeDelayS, crossCheck: v.crossCheck, groundTruth: v.groundTruth,
    });
    this.jobs.fund(o.contributions ?? W * Math.ceil(p.steps / p.H));
  }

  isOut(w: number): boolean {
    return this.excluded.has(w) || this.suspended.has(w);
  }

  /**
   * One round of contributions as jobs from `start` (global weights, or each worker's own; see
   * RoundJobs.round); returns the workers held out of this round's exchange (a challenge).
   */
  *round(
    r: number,
    active: readonly number[],
    start: Float32Array | ((w: number) => Float32Array),
    h: number | ((w: number) => number),
    verifyRng: { bernoulli(p: number): boolean },
    slot?: (k: number) => number,
  ): ProcessGenerator<{ challenged: Set<number>; committedAfterUs: number[] }> {
    const res = yield* this.jobs.round(r, active, start, h, verifyRng, slot);
    for (const rec of res.records) {
      if (rec.kind !== "honest") this.ctx.trace.emit("train.contribution", { arm: this.arm, round: r, worker: rec.worker, kind: rec.kind, wrong: rec.wrong, checked: rec.checked, match: rec.match });
      if (rec.check?.challenged) {
        this.suspended.add(rec.worker);
        const handle = this.jobs.handles.find((hd) => hd.jobId === rec.jobId)!;
        handle.verified.addCallback(() => {
          this.suspended.delete(rec.worker);
          if (rec.check!.dispute!.outcome !== "DefenderWon") this.excluded.add(rec.worker);
        });
      }
    }
    return { challenged: res.challenged, committedAfterUs: res.records.map((rec) => rec.committedAfterUs) };
  }

  /**
   * Round r of `workers` as jobs (see round), booked on the arm's account: each worker's compute is
   * its time to commit, the rest until the round resumes (the checks) waiting. Returns the workers
   * challenged, to be held out of the exchange.
   */
  *contribute(account: TrainAccount, r: number, workers: readonly number[], start: Float32Array | ((w: number) => Float32Array), h: number | ((w: number) => number), slot?: (k: number) => number): ProcessGenerator<Set<number>> {
    const t0 = this.ctx.env.now;
    const res = yield* this.round(r, workers, start, h, this.verifyRng, slot);
    workers.forEach((w, i) => {
      const c = res.committedAfterUs[i];
      account.computeUs[w] += c;
      account.waitUs[w] += this.ctx.env.now - t0 - c;
    });
    return res.challenged;
  }

  /** Waits until every contribution's job is paid or refunded (after its challenge window). */
  *settleAll(): ProcessGenerator<void> {
    const pending = this.jobs.handles.filter((h) => !h.settled.triggered).map((h) => h.settled);
    if (pending.length > 0) yield this.ctx.env.allOf(pending);
  }

  summary(): Record<string, unknown> {
    const trainingFlops = this.jobs.solverFlops;
    const recs = this.jobs.records;
    const wrong = recs.filter((r) => r.wrong === true);
    const lost = (r: ContributionRecord) => r.check?.dispute?.outcome === "ChallengerWon";
    const caughtLiars = new Set(recs.filter((r) => r.kind !== "honest" && lost(r)).map((r) => r.worker));
    const disputes = recs.filter((r) => r.check?.dispute).map((r) => ({ r, d: r.check!.dispute!, v: r.check!.verde }));
    const count = <T extends string>(xs: T[]) => Object.fromEntries([...new Set(xs)].sort().map((k) => [k, xs.filter((x) => x === k).length]));
    // Honest party lost: an honest solver that did not win, or a verifier that did not win against a wrong result.
    const honestLost = disputes.filter(({ r, d }) => (r.kind === "honest" ? d.outcome !== "DefenderWon" : r.wrong === true && d.outcome !== "ChallengerWon")).length;
    const agree = disputes.filter(({ d, v }) => v !== null && (v.winner === null ? d.outcome === "BothWrong" : (v.winner === v.parties[0]) === (d.outcome === "DefenderWon")) && (v.reason !== "recomputed-op" || (v.step === d.step && v.node?.index === d.node))).length;
    const ledger = this.settlement.ledger;
    const stakeNow = this.accounts.reduce((a, x) => a + ledger.stakeOf(x), 0n);
    const verifierFlops = recs.reduce((a, r) => a + (r.check?.verifierFlops ?? 0), 0);
    const settled = recs.filter((r) => r.settlement !== null);
    const byWorker = new Map<number, number>();
    for (const r of recs) if (r.kind !== "honest") byWorker.set(r.worker, (byWorker.get(r.worker) ?? 0) + 1);
    return {
      adversaries: this.p.adversaries,
      verificationRate: this.p.verification.rate,
      liars: this.liars.size,
      liarKinds: count([...this.liars.values()]),
      liarsCaught: caughtLiars.size,
      contributions: recs.length,
      checks: recs.filter((r) => r.checked).length,
      lies: {
        submitted: wrong.length,
        caught: wrong.filter(lost).length,
        // Wrong contributions that entered the all-reduce (not challenged in their round).
        missed: wrong.filter((r) => !r.check?.challenged).length,
        // Liars' contributions that were bit-for-bit right (their corruption changed nothing).
        noOp: recs.filter((r) => r.kind !== "honest" && r.wrong === false).length,
        perLiar: byWorker.size > 0 ? [...byWorker.values()].reduce((a, b) => a + b, 0) / byWorker.size : 0,
      },
      disputes: {
        count: disputes.length,
        byOutcome: count(disputes.map(({ d }) => d.outcome)),
        byReason: count(disputes.map(({ d }) => d.reason)),
        honestLost,
        refereeRulingsNotOneOp: disputes.filter(({ d }) => d.reason === "referee" && d.refereeOps !== 1).length,
        crossChecked: disputes.filter(({ v }) => v !== null).length,
        chainAgreesWithVerde: agree,
        meanMoves: disputes.length > 0 ? disputes.reduce((a, { d }) => a + d.moves, 0) / disputes.length : 0,
      },
      excludedWorkers: [...this.excluded].sort((a, b) => a - b),
      ledger: {
        jobs: recs.length,
        paid: settled.filter((r) => r.settlement!.end === "paid").length,
        rejected: settled.filter((r) => r.settlement!.end === "rejected").length,
        unsettled: recs.length - settled.length,
        slashedGsn: tokens(this.stakeWei * BigInt(this.accounts.length) - stakeNow),
        vaultUsd: tokens(ledger.balanceOf("BuybackVault", "USD")),
        escrowHeldUsd: tokens(ledger.escrow().escrowed),
        bondsHeldGsn: tokens(ledger.bondsHeld()),
      },
      verifierComputeShare: trainingFlops > 0 ? Math.round((verifierFlops / trainingFlops) * 1e6) / 1e6 : 0,
      stake: tokens(this.stakeWei),
    };
  }
}
