// Per-arm bookkeeping over virtual time: compute, idle and sync time per worker, tokens, bytes,
// loss curve, time to a target loss; turned into the arm's summary (issue 4, metrics).
import { TrafficLedger } from "./collectives.ts";
import type { TrainContext } from "./trainContext.ts";

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

export class TrainAccount {
  readonly arm: string;
  readonly workers: number;
  readonly computeUs: Float64Array;
  /** Per worker: time neither computing nor done, i.e. waiting on transfers or on slower workers. */
  readonly waitUs: Float64Array;
  readonly ledger = new TrafficLedger();
  readonly startUs: number;
  tokens = 0;
  syncs = 0;
  syncUs = 0;
  maxSyncUs = 0;
  /** Largest payload one node put on the wire in one sync (bytes). */
  peakSyncBytes = 0;
  dropped = 0;
  /** Straggler rounds stopped at the deadline (DiLoCo's stragglerDeadline): not computed. */
  stoppedAtDeadline = 0;
  rounds = 0;
  trainLoss = NaN;
  curve: [number, number][] = [];
  heldOutLoss = NaN;
  heldOutAccuracy = NaN;
  bestHeldOutLoss = Infinity;
  initialHeldOutLoss = NaN;
  targetLoss: number | null;
  timeToTargetUs: number | null = null;
  private readonly ctx: TrainContext;

  constructor(ctx: TrainContext, arm: string, workers: number, targetLoss: number | undefined) {
    this.ctx = ctx;
    this.arm = arm;
    this.workers = workers;
    this.computeUs = new Float64Array(workers);
    this.waitUs = new Float64Array(workers);
    this.startUs = ctx.env.now;
    this.targetLoss = targetLoss ?? null;
  }

  sync(us: number, bytesPerNode: number): void {
    this.syncs++;
    this.syncUs += us;
    if (us > this.maxSyncUs) this.maxSyncUs = us;
    if (bytesPerNode > this.peakSyncBytes) this.peakSyncBytes = bytesPerNode;
    this.ctx.metrics.record("train.syncSeconds", us / 1e6, { arm: this.arm });
    this.ctx.metrics.record("train.bytesSent", this.ledger.totalSent(), { arm: this.arm });
  }

  /** Record a held-out evaluation at the current virtual time. */
  evaluation(step: number, loss: number, accuracy: number, trainLoss: number): void {
    const t = (this.ctx.env.now - this.startUs) / 1e6;
    if (this.curve.length === 0) this.initialHeldOutLoss = loss;
    this.heldOutLoss = loss;
    this.heldOutAccuracy = accuracy;
    this.trainLoss = trainLoss;
    if (loss < this.bestHeldOutLoss) this.bestHeldOutLoss = loss;
    this.curve.push([round6(t), round6(loss)]);
    if (this.timeToTargetUs === null && this.targetLoss !== null && loss <= this.targetLoss) this.timeToTargetUs = this.ctx.env.now - this.startUs;
    this.ctx.metrics.record("train.heldOutLoss", loss, { arm: this.arm });
    if (Number.isFinite(trainLoss)) this.ctx.metrics.record("train.trainLoss", trainLoss, { arm: this.arm });
    this.ctx.metrics.record("train.tokens", this.tokens, { arm: this.arm });
    this.ctx.trace.emit("train.eval", { arm: this.arm, step, heldOutLoss: round6(loss), accuracy: round6(accuracy) });
  }

  /** When the arm ended; summaries after this report the arm's own span, not the run's. */
  endUs: number | null = null;
  finish(): void {
    if (this.endUs === null) this.endUs = this.ctx.env.now;
  }

  summary(extra: Record<string, unknown>, keepCurve: boolean): Record<string, unknown> {
    const elapsedUs = (this.endUs ?? this.ctx.env.now) - this.startUs;
    const secs = elapsedUs / 1e6;
    let compute = 0;
    let wait = 0;
    for (let w = 0; w < this.workers; w++) {
      compute += this.computeUs[w];
      wait += this.waitUs[w];
    }
    const sent = this.ledger.totalSent();
    let maxSent = 0;
    for (const k of [...this.ledger.sent.keys()].sort((a, b) => a - b)) maxSent = Math.max(maxSent, this.ledger.sent.get(k)!);
    return {
      ...extra,
      initialHeldOutLoss: round6(this.initialHeldOutLoss),
      heldOutLoss: round6(this.heldOutLoss),
      heldOutAccuracy: round6(this.heldOutAccuracy),
      bestHeldOutLoss: round6(this.bestHeldOutLoss),
      trainLoss: round6(this.trainLoss),
      virtualSeconds: round6(secs),
      tokens: this.tokens,
      tokensPerSecond: secs > 0 ? round6(this.tokens / secs) : 0,
      bytesSent: sent,
      bytesSentPerNode: round6(sent / this.workers),
      maxBytesSentPerNode: maxSent,
      transfers: this.ledger.transfers,
      failedTransfers: this.ledger.failed,
      computeUtilisation: elapsedUs > 0 ? round6(compute / (this.workers * elapsedUs)) : 0,
      networkWaitSecondsPerWorker: round6(wait / this.workers / 1e6),
      syncs: this.syncs,
      syncSeconds: round6(this.syncUs / 1e6),
      meanSyncSeconds: this.syncs > 0 ? round6(this.syncUs / this.syncs / 1e6) : 0,
      maxSyncSeconds: round6(this.maxSyncUs / 1e6),
      peakSyncBytesPerNode: this.peakSyncBytes,
      rounds: this.rounds,
      droppedContributions: this.dropped,
      targetLoss: this.targetLoss,
      secondsToTarget: this.timeToTargetUs === null ? null : round6(this.timeToTargetUs / 1e6),
      ...(keepCurve ? { curve: this.curve } : {}),
    };
  }
}
