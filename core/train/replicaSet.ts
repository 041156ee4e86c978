// The workers' model replicas as one batched state (replica dimension first): fast weights,
// AdamW moments and step counts for every worker, and the batched inner steps that advance any
// subset of them at once (DESIGN: Learning; REFERENCE §5 inner AdamW).
import { cos } from "../des/math.ts";
import type { Rng, RngStreams } from "../des/rng.ts";
import type { Backend } from "../ml/backend.ts";
import { adamwStep, clipByGlobalNorm, type AdamWConfig } from "./adamw.ts";
import { GraphEngine } from "./graphEngine.ts";
import { fillBatch, type ProxyTask } from "./proxyTask.ts";
import { ReplicaMlp } from "./replicaMlp.ts";

export interface InnerConfig extends AdamWConfig {
  warmup: number;
  schedule: "constant" | "linear" | "cosine";
  /** lr at the last step as a share of lr (linear and cosine). */
  minLrRatio: number;
  /** Global gradient-norm clip, or null. */
  clip: number | null;
}

/**
 * The lr multiplier at inner step t (1-based) of totalSteps: linear warmup t / warmup (the
 * reference's (step + 1) / warmup with 0-based steps), then constant, linear decay to minLrRatio
 * at the last step, or gensyn-ai/noloco's CosineWarmupLR: with d = (t - 1 - warmup) /
 * (totalSteps - warmup), minLrRatio + (1 - minLrRatio) x 0.5 (1 + cos(pi d)).
 */
export function lrScaleAt(inner: Pick<InnerConfig, "warmup" | "schedule" | "minLrRatio">, totalSteps: number, t: number): number {
  const wu = inner.warmup;
  if (wu > 0 && t < wu) return t / wu;
  if (inner.schedule === "constant" || totalSteps <= wu) return 1;
  const lo = inner.minLrRatio;
  if (inner.schedule === "linear") return 1 - (1 - lo) * Math.min(1, (t - wu) / (totalSteps - wu));
  const d = Math.min(1, Math.max(0, (t - 1 - wu) / (totalSteps - wu)));
  return lo + (1 - lo) * 0.5 * (1 + cos(Math.PI * d));
}

export class ReplicaSet {
  readonly mlp: ReplicaMlp;
  readonly task: ProxyTask;
  readonly shards: Int32Array[];
  readonly workers: number;
  readonly batch: number;
  readonly P: number;
  readonly inner: InnerConfig;
  /** Fast weights of every worker, worker w at w*P. */
  readonly theta: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly steps: Int32Array;
  /** Last train loss of each worker. */
  readonly lastLoss: Float64Array;
  private readonly rngs: Rng[];
  private readonly losses: Float64Array;
  private scratchBufs: { x: Float32Array; y: Int32Array; grads: Float32Array } | null = null;

  /** Key of the arm's random streams (initial weights, batches): its name or its replicate. */
  readonly streamKey: string;

  /** Inner steps each worker takes over the run (for the lr schedule). */
  readonly totalSteps: number;

  /** Inner steps on the run's ML backend (ML-ENGINE graph), or null for replicaMlp.ts. */
  readonly engine: GraphEngine | null;

  constructor(o: {
    task: ProxyTask;
    shards: Int32Array[];
    workers: number;
    batch: number;
    hidden: number;
    inner: InnerConfig;
    streams: RngStreams;
    arm: string;
    totalSteps: number;
    backend: Backend | null;
  }) {
    this.totalSteps = o.totalSteps;
    this.streamKey = o.arm;
    this.task = o.task;
    this.shards = o.shards;
    this.workers = o.workers;
    this.batch = o.batch;
    this.inner = o.inner;
    this.mlp = new ReplicaMlp({ inputs: o.task.config.inputs, hidden: o.hidden, classes: o.task.config.classes });
    const P = (this.P = this.mlp.paramCount);
    const W = o.workers;
    this.theta = new Float32Array(W * P);
    this.m = new Float32Array(W * P);
    this.v = new Float32Array(W * P);
    this.steps = new Int32Array(W);
    this.lastLoss = new Float64Array(W).fill(NaN);
    this.rngs = Array.from({ length: W }, (_, w) => o.streams.stream("train", o.arm, "batch", w));
    this.losses = new Float64Array(W);
    this.engine = o.backend === null ? null : new GraphEngine(o.backend, this.mlp.shape, o.batch, W, o.inner, { m: this.m, v: this.v });
  }

  /**
   * Inner steps computed so far, summed over workers (one worker, one step): only the workers
   * listed to innerSteps are computed, so workers that sit a round out add nothing.
   */
  get computedSteps(): number {
    return this.engine === null ? this.builtinSteps : this.engine.replicaSteps;
  }
  private builtinSteps = 0;

  /**
   * Every worker's batch and gradient slots, for the builtin kernels and data-parallel steps
   * (the graph engine's inner steps keep chunk-sized buffers of their own): made on first use.
   */
  private get scratch(): { x: Float32Array; y: Int32Array; grads: Float32Array } {
    this.scratchBufs ??= { x: new Float32Array(this.workers * this.batch * this.task.config.inputs), y: new Int32Array(this.workers * this.batch), grads: new Float32Array(this.workers * this.P) };
    return this.scratchBufs;
  }

  /** Where the inner steps run, for summaries. */
  get engineName(): string {
    return this.engine === null ? "builtin" : this.engine.backend.name;
  }

  /** Fresh initial weights (one vector, seeded by the arm), shared by every worker at the start. */
  initialWeights(streams: RngStreams, arm: string): Float32Array {
    const w = new Float32Array(this.P);
    this.mlp.init(w, 0, streams.stream("train", arm, "init"));
    return w;
  }

  /** theta_w <- global for each listed worker. */
  load(global: Float32Array, workers: readonly number[]): void {
    for (const w of workers) this.theta.set(global, w * this.P);
  }

  /** The schedule's lr multiplier at inner step t (lrScaleAt). */
  lrScale(t: number): number {
    return lrScaleAt(this.inner, this.totalSteps, t);
  }

  private batchFor(workers: readonly number[]): void {
    const { x, y } = this.scratch;
    for (let s = 0; s < workers.length; s++) fillBatch(this.task, this.shards[workers[s]], this.rngs[workers[s]], this.batch, s, x, y);
  }

  /**
   * n AdamW steps on each listed worker's own replica and shard; returns the mean last loss. Only
   * the listed workers are computed; the others' weights, moments, step counts and batch streams
   * stay as they were.
   */
  innerSteps(workers: readonly number[], n: number): number {
    const P = this.P;
    let mean = 0;
    if (this.engine !== null) {
      const hyperOf = (w: number) => {
        const t = ++this.steps[w];
        return { lr: this.inner.lr * this.lrScale(t), t };
      };
      const batchFor = (w: number, slot: number, x: Float32Array, y: Int32Array) => fillBatch(this.task, this.shards[w], this.rngs[w], this.batch, slot, x, y);
      this.engine.train(this.theta, workers, n, hyperOf, batchFor, this.lastLoss);
      for (const w of workers) mean += this.lastLoss[w];
      return workers.length > 0 ? mean / workers.length : NaN;
    }
    this.builtinSteps += workers.length * Math.max(0, n);
    const { x, y, grads } = this.scratch;
    for (let k = 0; k < n; k++) {
      this.batchFor(workers);
      this.mlp.lossAndGrad(this.theta, P, workers, this.batch, x, y, grads, this.losses);
      for (let s = 0; s < workers.length; s++) {
        const w = workers[s];
        const t = ++this.steps[w];
        const o = w * P;
        if (this.inner.clip !== null) clipByGlobalNorm(grads.subarray(s * P, s * P + P), this.inner.clip);
        adamwStep(this.theta.subarray(o, o + P), grads.subarray(s * P, s * P + P), this.m.subarray(o, o + P), this.v.subarray(o, o + P), t, this.inner, 0, P, this.lrScale(t));
        this.lastLoss[w] = this.losses[s];
      }
    }
    for (let s = 0; s < workers.length; s++) mean += this.losses[s];
    return workers.length > 0 ? mean / workers.length : NaN;
  }

  /**
   * Data-parallel gradients: every listed worker computes the gradient of the shared weights on
   * its own batch (batched, stride 0). Returns the mean loss; gradients stay in the buffer.
   */
  sharedGradients(shared: Float32Array, workers: readonly number[]): number {
    this.batchFor(workers);
    const { x, y, grads } = this.scratch;
    if (this.engine !== null) this.engine.sharedGradients(shared, workers.length, x, y, this.batch, grads, this.losses);
    else this.mlp.lossAndGrad(shared, 0, workers.map((_, s) => s), this.batch, x, y, grads, this.losses);
    let mean = 0;
    for (let s = 0; s < workers.length; s++) mean += this.losses[s];
    return mean / workers.length;
  }

  /** Mean of the gradients of slots [0, contributors) in order, then one AdamW step on `shared`. */
  sharedUpdate(shared: Float32Array, m: Float32Array, v: Float32Array, t: number, slots: readonly number[]): void {
    const P = this.P;
    const grads = this.scratch.grads;
    const g = new Float32Array(P);
    const inv = 1 / slots.length;
    for (let j = 0; j < P; j++) {
      let s = 0;
      for (const k of slots) s += grads[k * P + j];
      g[j] = Math.fround(s * inv);
    }
    if (this.inner.clip !== null) clipByGlobalNorm(g, this.inner.clip);
    adamwStep(shared, g, m, v, t, this.inner, 0, P, this.lrScale(t));
  }

  evaluate(params: Float32Array, offset = 0): { loss: number; accuracy: number } {
    const h = this.task.heldOut;
    return this.mlp.evaluate(params, offset, h.x, h.y, h.n);
  }
}
