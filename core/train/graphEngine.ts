// Inner steps on the run's ML backend (ctx.backend: repops, tfjs-cpu, tfjs-wasm...) through
// ML-ENGINE's step graph (forward + backward + AdamW as one graph), replica dimension first
// (DESIGN: Learning). core/train keeps every worker's weights as one flat vector (W1, b1, W2, b2:
// the layout of replicaMlp.ts) and its AdamW moments the same way (m and v stores, worker w at
// w*P); each batch of steps gathers the training workers' rows into the graph's named inputs,
// runs them with weights and moments resident on the backend (runResidentSteps), and scatters
// the results back. Only the listed workers are computed: a worker that sits a round out costs
// nothing and keeps its weights and moments as they were. Workers run in chunks of at most
// `chunk` replicas, so buffers stay small however many workers there are; on a reproducible
// backend (repops) a replica's values do not depend on which or how many replicas share its
// batch, so compaction and chunking change no bit. Each worker's AdamW bias corrections follow
// its own step count (a worker that sat rounds out is behind): the engine feeds per-replica
// hyperparameters itself.
import type { Backend } from "../ml/backend.ts";
import { executeGraph } from "../ml/execute.ts";
import { HYPER_INPUT, optimizerHyper } from "../ml/optimizers.ts";
import { buildMlp } from "../ml/models/mlp.ts";
import { runResidentSteps } from "../ml/replicaTrainer.ts";
import { buildTrainStep, gradName, type TrainStepGraph } from "../ml/trainStep.ts";
import type { AdamWConfig } from "./adamw.ts";
import type { MlpShape } from "./replicaMlp.ts";

/** The graph MLP's parameters in core/train's flat order: [name, offset, size]. */
export function paramLayout(s: MlpShape): [string, number, number][] {
  const { inputs: d, hidden: h, classes: c } = s;
  return [
    ["mlp.0.w", 0, d * h],
    ["mlp.0.b", d * h, h],
    ["mlp.1.w", d * h + h, h * c],
    ["mlp.1.b", d * h + h + h * c, c],
  ];
}

/** Replicas per graph execution in train(): outputs of at most 512 x the widest parameter. */
export const ENGINE_CHUNK = 512;

/** A graph input gathered from a flat per-worker store: store[w*P + off .. + size). */
interface Row {
  name: string;
  store: Float32Array;
  off: number;
  size: number;
}

export class GraphEngine {
  readonly backend: Backend;
  private readonly layout: [string, number, number][];
  private readonly P: number;
  private readonly workers: number;
  private readonly batch: number;
  private readonly inputs: number;
  private readonly grad: TrainStepGraph;
  private readonly step: TrainStepGraph;
  /** AdamW moments of every worker in the flat layout (worker w at w*P), by slot (m, v). */
  readonly moments: { m: Float32Array; v: Float32Array };
  /** Optimizer states as rows of the moment stores, in the step graph's order. */
  private readonly stateRows: Row[];
  /** Replica-steps computed so far (one worker, one inner step): the work actually done. */
  replicaSteps = 0;
  readonly y: Float32Array;
  private cap = 0;
  private bufs: { x: Float32Array; yi: Int32Array; yf: Float32Array; hp: Float32Array; rows: Float32Array[] } | null = null;

  /**
   * `moments`: the stores to keep AdamW's m and v in (workers * P each, the weights' layout), e.g.
   * the ReplicaSet's; fresh zeros when absent.
   */
  constructor(backend: Backend, shape: MlpShape, batch: number, workers: number, opt: AdamWConfig & { clip?: number | null }, moments?: { m: Float32Array; v: Float32Array }) {
    this.backend = backend;
    this.layout = paramLayout(shape);
    this.P = this.layout.reduce((a, [, , n]) => a + n, 0);
    this.workers = workers;
    this.batch = batch;
    this.inputs = shape.inputs;
    const model = (g: Parameters<typeof buildMlp>[0]) => buildMlp(g, { inDim: shape.inputs, hidden: [shape.hidden], classes: shape.classes, batch });
    this.step = buildTrainStep(model, { kind: "adamw", beta1: opt.beta1, beta2: opt.beta2, eps: opt.eps, weightDecay: opt.weightDecay, ...(opt.clip ? { clipNorm: opt.clip } : {}) });
    this.grad = buildTrainStep(model, null);
    this.moments = moments ?? { m: new Float32Array(workers * this.P), v: new Float32Array(workers * this.P) };
    this.stateRows = this.step.states.map((name) => {
      const [, slot, ...rest] = name.split(".");
      const param = this.layout.find(([p]) => p === rest.join("."))!;
      return { name, store: slot === "m" ? this.moments.m : this.moments.v, off: param[1], size: param[2] };
    });
    this.y = new Float32Array(workers * batch);
  }

  /** Every input carried across steps: the parameters (rows of theta), then the optimizer states. */
  private rows(theta: Float32Array): Row[] {
    return [...this.layout.map(([name, off, size]) => ({ name, store: theta, off, size })), ...this.stateRows];
  }

  /** Buffers for chunks of up to A replicas (grown on demand, reused across calls). */
  private buffers(A: number) {
    if (this.bufs === null || A > this.cap) {
      const width = optimizerHyper(this.step.optimizer!, 1, 0).length;
      this.cap = A;
      this.bufs = {
        x: new Float32Array(A * this.batch * this.inputs),
        yi: new Int32Array(A * this.batch),
        yf: new Float32Array(A * this.batch),
        hp: new Float32Array(A * width),
        rows: this.rows(new Float32Array(0)).map((r) => new Float32Array(A * r.size)),
      };
    }
    return this.bufs;
  }

  /**
   * n steps on the workers `ws` (one chunk): gathers their weights and moments, runs the steps
   * resident, scatters the results back. Each step takes every worker's lr and AdamW step number
   * from hyperOf(w) (in `ws` order), then fill(x, y) writes worker ws[s]'s batch at slot s.
   */
  private runChunk(theta: Float32Array, ws: readonly number[], n: number, hyperOf: (w: number) => { lr: number; t: number }, fill: (x: Float32Array, y: Int32Array) => void, losses: Float64Array): void {
    const A = ws.length;
    if (A === 0 || n <= 0) return;
    const P = this.P;
    const b = this.buffers(A);
    const rows = this.rows(theta);
    const state = new Map<string, Float32Array>();
    rows.forEach((r, k) => {
      const t = b.rows[k].subarray(0, A * r.size);
      for (let s = 0; s < A; s++) t.set(r.store.subarray(ws[s] * P + r.off, ws[s] * P + r.off + r.size), s * r.size);
      state.set(r.name, t);
    });
    const opt = this.step.optimizer!;
    const width = b.hp.length / this.cap;
    const hp = b.hp.subarray(0, A * width);
    const x = b.x.subarray(0, A * this.batch * this.inputs);
    const yi = b.yi.subarray(0, A * this.batch);
    const yf = b.yf.subarray(0, A * this.batch);
    const feeds = new Map<string, Float32Array>([["x", x], ["y", yf], [HYPER_INPUT, hp]]);
    runResidentSteps(this.step, this.backend, A, state, n, () => {
      for (let s = 0; s < A; s++) {
        const { lr, t } = hyperOf(ws[s]);
        hp.set(optimizerHyper(opt, t, lr), s * width);
      }
      fill(x, yi);
      for (let i = 0; i < yi.length; i++) yf[i] = yi[i];
      return feeds;
    }, (_, loss) => {
      for (let s = 0; s < A; s++) losses[ws[s]] = loss[s];
    });
    rows.forEach((r) => {
      const t = state.get(r.name)!;
      for (let s = 0; s < A; s++) r.store.set(t.subarray(s * r.size, (s + 1) * r.size), ws[s] * P + r.off);
    });
    this.replicaSteps += A * n;
  }

  /**
   * n steps on each of the workers `active` (ascending), in chunks of at most `chunk`: worker w
   * trains with lr and AdamW step number t from hyperOf(w) and its batch from batchFor(w, s, x, y),
   * which writes it at slot s of x (examples) and y (labels). losses[w] gets w's last loss. The
   * other workers are not computed: their weights, moments and losses stay as they were.
   */
  train(theta: Float32Array, active: readonly number[], n: number, hyperOf: (w: number) => { lr: number; t: number }, batchFor: (w: number, slot: number, x: Float32Array, y: Int32Array) => void, losses: Float64Array, chunk = ENGINE_CHUNK): void {
    for (let lo = 0; lo < active.length; lo += chunk) {
      const ws = active.slice(lo, lo + chunk);
      this.runChunk(theta, ws, n, hyperOf, (x, y) => ws.forEach((w, s) => batchFor(w, s, x, y)), losses);
    }
  }

  /**
   * n steps where worker w trains with lr and AdamW step number t from hyperOf(w); batchOf()
   * returns every worker's batch at slot w (x: workers * batch examples, y: labels). Workers not
   * in `active` sit out: not computed, weights and AdamW moments kept. (train() takes batches
   * slot by slot and in chunks.)
   */
  steps(theta: Float32Array, active: readonly number[], hyperOf: (w: number) => { lr: number; t: number }, batchOf: () => { x: Float32Array; y: Int32Array }, n: number, losses: Float64Array): void {
    const ex = this.batch * this.inputs;
    this.runChunk(theta, active, n, hyperOf, (x, y) => {
      const all = batchOf();
      active.forEach((w, s) => {
        x.set(all.x.subarray(w * ex, (w + 1) * ex), s * ex);
        y.set(all.y.subarray(w * this.batch, (w + 1) * this.batch), s * this.batch);
      });
    }, losses);
  }

  /** Gradients of one shared weight vector on A batches (slots 0..A-1), into grads[s*P ..]. */
  sharedGradients(shared: Float32Array, A: number, x: Float32Array, y: Int32Array, batch: number, grads: Float32Array, losses: Float64Array): void {
    const feeds = new Map<string, Float32Array>();
    for (const [name, off, n] of this.layout) feeds.set(name, shared.subarray(off, off + n));
    feeds.set("x", x.subarray(0, A * (x.length / this.y.length) * batch));
    feeds.set("y", Float32Array.from(y.subarray(0, A * batch)));
    const r = executeGraph(this.grad.graph, this.backend, feeds, { replicas: A });
    const loss = r.outputs.get("loss")!;
    for (let s = 0; s < A; s++) losses[s] = loss[s];
    for (const [name, off, n] of this.layout) {
      const g = r.outputs.get(gradName(name))!;
      for (let s = 0; s < A; s++) grads.set(g.subarray(s * n, (s + 1) * n), s * this.P + off);
    }
  }
}
