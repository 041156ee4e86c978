// The proxy model trained by every workload: a one-hidden-layer ReLU classifier, batched over
// replicas (replica dimension first: replica r's weights at r*stride), so thousands of workers
// cost a few large loops (DESIGN: Learning). Fixed summation order, float32 storage, softmax via
// core/des/math exp/log: bit-identical on every engine.
import { exp, log } from "../des/math.ts";
import { ConfigError } from "../errors.ts";
import type { Rng } from "../des/rng.ts";

export interface MlpShape {
  inputs: number;
  hidden: number;
  classes: number;
}

/** Parameter layout: W1 [inputs x hidden], b1 [hidden], W2 [hidden x classes], b2 [classes]. */
export class ReplicaMlp {
  readonly shape: MlpShape;
  readonly paramCount: number;
  private readonly oB1: number;
  private readonly oW2: number;
  private readonly oB2: number;
  private readonly h: Float64Array;
  private readonly dh: Float64Array;
  private readonly logits: Float64Array;
  private readonly gacc: Float64Array;

  constructor(shape: MlpShape) {
    for (const k of ["inputs", "hidden", "classes"] as const) {
      if (!Number.isInteger(shape[k]) || shape[k] < 1) throw new ConfigError(`proxy model ${k} must be a positive integer, got ${shape[k]}`);
    }
    this.shape = { ...shape };
    const { inputs: d, hidden: hd, classes: c } = shape;
    this.oB1 = d * hd;
    this.oW2 = this.oB1 + hd;
    this.oB2 = this.oW2 + hd * c;
    this.paramCount = this.oB2 + c;
    this.h = new Float64Array(hd);
    this.dh = new Float64Array(hd);
    this.logits = new Float64Array(c);
    this.gacc = new Float64Array(this.paramCount);
  }

  /** Training FLOPs per example: forward 2*(d*h + h*c), backward twice that. */
  get trainFlopsPerExample(): number {
    const { inputs: d, hidden: hd, classes: c } = this.shape;
    return 6 * (d * hd + hd * c);
  }
  get evalFlopsPerExample(): number {
    return this.trainFlopsPerExample / 3;
  }

  /** He-normal weights, zero biases, into params[offset .. offset+paramCount). */
  init(params: Float32Array, offset: number, rng: Rng): void {
    const { inputs: d, hidden: hd, classes: c } = this.shape;
    const s1 = Math.sqrt(2 / d);
    const s2 = Math.sqrt(1 / hd);
    for (let i = 0; i < d * hd; i++) params[offset + i] = rng.normal(0, s1);
    for (let i = 0; i < hd; i++) params[offset + this.oB1 + i] = 0;
    for (let i = 0; i < hd * c; i++) params[offset + this.oW2 + i] = rng.normal(0, s2);
    for (let i = 0; i < c; i++) params[offset + this.oB2 + i] = 0;
  }

  /** Forward one example into this.h (post-ReLU) and this.logits. */
  private forward(p: Float32Array, o: number, x: Float32Array, xo: number): void {
    const { inputs: d, hidden: hd, classes: c } = this.shape;
    const h = this.h;
    const lg = this.logits;
    for (let j = 0; j < hd; j++) h[j] = p[o + this.oB1 + j];
    for (let i = 0; i < d; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      const row = o + i * hd;
      for (let j = 0; j < hd; j++) h[j] += xi * p[row + j];
    }
    for (let j = 0; j < hd; j++) h[j] = h[j] > 0 ? Math.fround(h[j]) : 0;
    for (let k = 0; k < c; k++) lg[k] = p[o + this.oB2 + k];
    for (let j = 0; j < hd; j++) {
      const hj = h[j];
      if (hj === 0) continue;
      const row = o + this.oW2 + j * c;
      for (let k = 0; k < c; k++) lg[k] += hj * p[row + k];
    }
  }

  /** Softmax in place over this.logits; returns -log p[label]. */
  private softmaxXent(label: number): number {
    const c = this.shape.classes;
    const lg = this.logits;
    let mx = -Infinity;
    for (let k = 0; k < c; k++) if (lg[k] > mx) mx = lg[k];
    let z = 0;
    for (let k = 0; k < c; k++) {
      lg[k] = exp(lg[k] - mx);
      z += lg[k];
    }
    const p = lg[label] / z;
    for (let k = 0; k < c; k++) lg[k] /= z;
    return -log(p);
  }

  /**
   * Mean loss and its gradient for each listed replica on its own batch: replica list[r] reads
   * examples x[(r*batch + b)*inputs ..], labels y[r*batch + b], writes grads[r*paramCount ..].
   * paramStride 0 means all replicas share one parameter vector at paramOffset (DDP).
   */
  lossAndGrad(
    params: Float32Array,
    paramStride: number,
    replicas: readonly number[],
    batch: number,
    x: Float32Array,
    y: Int32Array,
    grads: Float32Array,
    losses: Float64Array,
  ): void {
    const { inputs: d, hidden: hd, classes: c } = this.shape;
    const P = this.paramCount;
    const g = this.gacc;
    const h = this.h;
    const dh = this.dh;
    const lg = this.logits;
    const inv = 1 / batch;
    for (let r = 0; r < replicas.length; r++) {
      const o = replicas[r] * paramStride;
      g.fill(0);
      let total = 0;
      for (let b = 0; b < batch; b++) {
        const e = r * batch + b;
        const xo = e * d;
        this.forward(params, o, x, xo);
        total += this.softmaxXent(y[e]);
        lg[y[e]] -= 1; // dL/dlogits = softmax - onehot (times 1/batch below)
        for (let k = 0; k < c; k++) {
          lg[k] *= inv;
          g[this.oB2 + k] += lg[k];
        }
        for (let j = 0; j < hd; j++) {
          const row = o + this.oW2 + j * c;
          const grow = this.oW2 + j * c;
          const hj = h[j];
          let acc = 0;
          for (let k = 0; k < c; k++) {
            g[grow + k] += hj * lg[k];
            acc += params[row + k] * lg[k];
          }
          dh[j] = hj > 0 ? acc : 0;
        }
        for (let j = 0; j < hd; j++) g[this.oB1 + j] += dh[j];
        for (let i = 0; i < d; i++) {
          const xi = x[xo + i];
          if (xi === 0) continue;
          const grow = i * hd;
          for (let j = 0; j < hd; j++) g[grow + j] += xi * dh[j];
        }
      }
      losses[r] = total * inv;
      const go = r * P;
      for (let i = 0; i < P; i++) grads[go + i] = g[i];
    }
  }

  /** Mean cross-entropy and accuracy of the weights at params[offset..] on n examples. */
  evaluate(params: Float32Array, offset: number, x: Float32Array, y: Int32Array, n: number): { loss: number; accuracy: number } {
    let total = 0;
    let correct = 0;
    for (let e = 0; e < n; e++) {
      this.forward(params, offset, x, e * this.shape.inputs);
      const lg = this.logits;
      let arg = 0;
      for (let k = 1; k < this.shape.classes; k++) if (lg[k] > lg[arg]) arg = k;
      if (arg === y[e]) correct++;
      total += this.softmaxXent(y[e]);
    }
    return { loss: total / n, accuracy: correct / n };
  }

  /** Class probabilities of one example (for ensembles), written to out[0..classes). */
  probabilities(params: Float32Array, offset: number, x: Float32Array, xo: number, out: Float64Array): void {
    this.forward(params, offset, x, xo);
    this.softmaxXent(0);
    for (let k = 0; k < this.shape.classes; k++) out[k] = this.logits[k];
  }
}
