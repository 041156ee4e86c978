// Inner steps on the run's ML backend (ctx.backend: repops, tfjs-cpu, tfjs-wasm...) through
// ML-ENGINE's step graph (forward + backward + AdamW as one graph) and its batched
// ReplicaTrainer, replica dimension first (DESIGN: Learning). core/train keeps every worker's
// weights as one flat vector (W1, b1, W2, b2: the layout of replicaMlp.ts); this engine moves
// them in and out of the graph's named parameters around each batch of steps. Each worker's
// AdamW bias corrections follow its own step count (a worker that sat rounds out is behind), so
// the engine feeds the per-replica hyperparameters itself rather than through ReplicaTrainer.run,
// whose step counter is one for all replicas.
import type { Backend } from "../ml/backend.ts";
import { executeGraph } from "../ml/execute.ts";
import { HYPER_INPUT, nextName, optimizerHyper } from "../ml/optimizers.ts";
import { buildMlp } from "../ml/models/mlp.ts";
import { ReplicaTrainer } from "../ml/replicaTrainer.ts";
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

export class GraphEngine {
  readonly backend: Backend;
  private readonly layout: [string, number, number][];
  private readonly P: number;
  private readonly workers: number;
  private readonly trainer: ReplicaTrainer;
  private readonly grad: TrainStepGraph;
  private readonly step: TrainStepGraph;
  readonly y: Float32Array;

  constructor(backend: Backend, shape: MlpShape, batch: number, workers: number, opt: AdamWConfig & { clip?: number | null }) {
    this.backend = backend;
    this.layout = paramLayout(shape);
    this.P = this.layout.reduce((a, [, , n]) => a + n, 0);
    this.workers = workers;
    const model = (g: Parameters<typeof buildMlp>[0]) => buildMlp(g, { inDim: shape.inputs, hidden: [shape.hidden], classes: shape.classes, batch });
    const step = buildTrainStep(model, { kind: "adamw", beta1: opt.beta1, beta2: opt.beta2, eps: opt.eps, weightDecay: opt.weightDecay, ...(opt.clip ? { clipNorm: opt.clip } : {}) });
    const zeros = new Map(this.layout.map(([name, , n]) => [name, new Float32Array(n)] as [string, Float32Array]));
    this.step = step;
    this.trainer = new ReplicaTrainer(step, backend, workers, zeros);
    this.grad = buildTrainStep(model, null);
    this.y = new Float32Array(workers * batch);
  }

  /** Flat weights of every worker (w at w*P) into the trainer's named parameters. */
  private load(theta: Float32Array): void {
    for (const [name, off, n] of this.layout) {
      const t = new Float32Array(this.workers * n);
      for (let w = 0; w < this.workers; w++) t.set(theta.subarray(w * this.P + off, w * this.P + off + n), w * n);
      this.trainer.setState(name, t);
    }
  }

  /**
   * n steps where worker w trains with lr and AdamW step number t from hyperOf(w) (lr 0 = sits
   * out: its weights and AdamW moments are kept as they were). x holds every worker's batch at
   * slot w; labels come from ints.
   */
  steps(theta: Float32Array, active: readonly number[], hyperOf: (w: number) => { lr: number; t: number }, batchOf: () => { x: Float32Array; y: Int32Array }, n: number, losses: Float64Array): void {
    this.load(theta);
    const moments = [...this.trainer.state.keys()].filter((k) => k.startsWith("opt.")).sort();
    const saved = active.length < this.workers ? moments.map((k) => this.trainer.state.get(k)!.slice()) : null;
    const opt = this.step.optimizer!;
    const width = optimizerHyper(opt, 1, 0).length;
    const hp = new Float32Array(width * this.workers);
    // Workers sitting out: lr 0 at step 1 (their outputs are discarded below).
    for (let w = 0; w < this.workers; w++) hp.set(optimizerHyper(opt, 1, 0), w * width);
    const names = [...this.step.params.map((p) => p.name), ...this.step.states];
    for (let k = 0; k < n; k++) {
      for (const w of active) {
        const { lr, t } = hyperOf(w);
        hp.set(optimizerHyper(opt, t, lr), w * width);
      }
      const { x, y } = batchOf();
      for (let i = 0; i < y.length; i++) this.y[i] = y[i];
      const feeds = new Map<string, Float32Array>([["x", x], ["y", this.y]]);
      for (const [name, v] of this.trainer.state) feeds.set(name, v);
      feeds.set(HYPER_INPUT, hp);
      const out = executeGraph(this.step.graph, this.backend, feeds, { replicas: this.workers }).outputs;
      for (const name of names) this.trainer.state.set(name, out.get(nextName(name))!);
      const loss = out.get("loss")!;
      for (const w of active) losses[w] = loss[w];
    }
    if (saved !== null) {
      const on = new Uint8Array(this.workers);
      for (const w of active) on[w] = 1;
      moments.forEach((k, i) => {
        const now = this.trainer.state.get(k)!.slice();
        const size = now.length / this.workers;
        for (let w = 0; w < this.workers; w++) if (!on[w]) now.set(saved[i].subarray(w * size, (w + 1) * size), w * size);
        this.trainer.state.set(k, now);
      });
    }
    for (const [name, off, size] of this.layout) {
      const t = this.trainer.state.get(name)!;
      for (const w of active) theta.set(t.subarray(w * size, (w + 1) * size), w * this.P + off);
    }
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
