// A tiny verifiable program on plain float32 math (+ - * only, Math.fround after each operation,
// fixed loop order: bitwise reproducible, REFERENCE §2): a 2-layer ReLU regression MLP trained by
// SGD. Forward, backward and update are one 21-node step graph. Verde's fast tests use it.
import { ConfigError } from "../errors.ts";
import type { NodeTamper, StepGraph, StepNode, StepTrace, VerifiableProgram } from "./program.ts";

export interface TinyMlpOptions {
  steps: number;
  inputs?: number;
  hidden?: number;
  batch?: number;
  lr?: number;
  seed?: number;
  /**
   * "float32" (default) rounds after every operation in a fixed order: reproducible. "float64"
   * accumulates sums in float64 and rounds once, like a different kernel library would: it
   * stands in for a non-reproducible backend (REFERENCE §2).
   */
  accumulate?: "float32" | "float64";
}

/** State: W1 [d*h], b1 [h], W2 [h], b2 [1]. */
export type TinyMlpState = readonly Float32Array[];

const f = Math.fround;

/** mulberry32 on (seed, step, salt): integer-only, identical everywhere. */
function uniform(seed: number, step: number, salt: number): () => number {
  let a = (seed * 0x9e3779b1 + step * 0x85ebca6b + salt * 0xc2b2ae35) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return f((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1);
  };
}

export class TinyMlpProgram implements VerifiableProgram<TinyMlpState> {
  readonly name: string;
  readonly backend: string;
  private readonly acc: (s: number, x: number) => number;
  readonly steps: number;
  readonly d: number;
  readonly h: number;
  readonly batch: number;
  readonly lr: number;
  readonly seed: number;
  private readonly stepGraph: StepGraph;
  private readonly lrScale: Float32Array;

  constructor(options: TinyMlpOptions) {
    const { steps, inputs = 4, hidden = 8, batch = 8, lr = 0.05, seed = 1, accumulate = "float32" } = options;
    if (!Number.isSafeInteger(steps) || steps < 1) throw new ConfigError(`TinyMlpProgram: steps must be a positive integer, got ${steps}`);
    this.steps = steps;
    this.d = inputs;
    this.h = hidden;
    this.batch = batch;
    this.lr = f(lr);
    this.seed = seed;
    this.name = `tiny-mlp-${inputs}x${hidden}`;
    this.backend = accumulate === "float32" ? "float32-js" : "float64-accumulate";
    this.acc = accumulate === "float32" ? (s, x) => f(s + x) : (s, x) => s + x;
    this.lrScale = Float32Array.of(f(lr));
    this.stepGraph = this.buildGraph();
  }

  private buildGraph(): StepGraph {
    const { d, h, batch: B } = this;
    const nodes: StepNode[] = [];
    const add = (id: string, op: string, inputs: number[], size: number, flops: number): number => {
      nodes.push({ index: nodes.length, id, op, inputs, size, flops });
      return nodes.length - 1;
    };
    const W1 = add("param:W1", "state", [], d * h, 0);
    const b1 = add("param:b1", "state", [], h, 0);
    const W2 = add("param:W2", "state", [], h, 0);
    const b2 = add("param:b2", "state", [], 1, 0);
    const x = add("data:x", "data", [], B * d, 0);
    const y = add("data:y", "data", [], B, 0);
    const pre = add("fwd/pre", "matmul_bias", [x, W1, b1], B * h, 2 * B * d * h + B * h);
    const act = add("fwd/relu", "relu", [pre], B * h, B * h);
    const out = add("fwd/out", "matmul_bias", [act, W2, b2], B, 2 * B * h + B);
    const err = add("loss/err", "sub", [out, y], B, B);
    const dout = add("bwd/dout", "scale_mean2", [err], B, B);
    const dW2 = add("bwd/dW2", "matmul_tn", [act, dout], h, 2 * B * h);
    const db2 = add("bwd/db2", "colsum", [dout], 1, B);
    const dh = add("bwd/dh", "outer", [dout, W2], B * h, B * h);
    const dpre = add("bwd/dpre", "relu_grad", [dh, pre], B * h, B * h);
    const dW1 = add("bwd/dW1", "matmul_tn", [x, dpre], d * h, 2 * B * d * h);
    const db1 = add("bwd/db1", "colsum", [dpre], h, B * h);
    const uW1 = add("sgd:W1", "sgd", [W1, dW1], d * h, 2 * d * h);
    const ub1 = add("sgd:b1", "sgd", [b1, db1], h, 2 * h);
    const uW2 = add("sgd:W2", "sgd", [W2, dW2], h, 2 * h);
    const ub2 = add("sgd:b2", "sgd", [b2, db2], 1, 2);
    return { nodes, stateIn: [W1, b1, W2, b2], stateOut: [uW1, ub1, uW2, ub2], backwardFrom: dout };
  }

  initialState(): TinyMlpState {
    const { d, h } = this;
    const r = uniform(this.seed, -1, 7);
    const scale = (n: number, s: number) => Float32Array.from({ length: n }, () => f(r() * s));
    return [scale(d * h, 0.5), new Float32Array(h), scale(h, 0.5), new Float32Array(1)];
  }

  graph(_i: number): StepGraph {
    return this.stepGraph;
  }

  stateTensors(state: TinyMlpState): readonly Float32Array[] {
    return state;
  }

  stepFlops(_i: number): number {
    let total = 0;
    for (const n of this.stepGraph.nodes) total += n.flops;
    return total;
  }

  step(state: TinyMlpState, i: number): TinyMlpState {
    return this.traceStep(state, i).next;
  }

  traceStep(state: TinyMlpState, i: number, tamper?: NodeTamper): StepTrace<TinyMlpState> {
    this.checkStep(i);
    const { nodes, stateIn, stateOut } = this.stepGraph;
    const outputs: Float32Array[] = new Array(nodes.length);
    stateIn.forEach((n, k) => (outputs[n] = state[k]));
    for (const node of nodes) {
      const inputs = node.inputs.map((j) => outputs[j]);
      const honest = node.op === "state" ? outputs[node.index] : this.evaluate(i, node, inputs);
      outputs[node.index] = tamper ? tamper(node, honest, inputs, outputs) : honest;
    }
    return { outputs, next: stateOut.map((n) => outputs[n]) };
  }

  recomputeNode(i: number, node: number, inputs: readonly Float32Array[]): Float32Array {
    this.checkStep(i);
    const spec = this.stepGraph.nodes[node];
    if (!spec) throw new ConfigError(`TinyMlpProgram.recomputeNode: no node ${node} (graph has ${this.stepGraph.nodes.length})`);
    if (spec.op === "state") throw new ConfigError(`TinyMlpProgram.recomputeNode: node ${node} (${spec.id}) is a state input, not an op`);
    return this.evaluate(i, spec, inputs);
  }

  private checkStep(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.steps) throw new ConfigError(`TinyMlpProgram: step ${i} out of range 0..${this.steps - 1}`);
  }

  /** The one place each op is computed, in a fixed loop order. */
  private evaluate(step: number, node: StepNode, x: readonly Float32Array[]): Float32Array {
    const { d, h, batch: B } = this;
    const out = new Float32Array(node.size);
    switch (node.op) {
      case "data": {
        const r = uniform(this.seed, step, 1);
        if (node.id === "data:x") for (let k = 0; k < out.length; k++) out[k] = r();
        else {
          const xs = uniform(this.seed, step, 1);
          for (let b = 0; b < B; b++) {
            let s = 0;
            for (let k = 0; k < d; k++) s = f(s + f(xs() * (k % 2 === 0 ? 0.7 : -0.4)));
            out[b] = f(s * s > 0.25 ? f(s - 0.1) : f(s * 0.5));
          }
        }
        return out;
      }
      case "matmul_bias": {
        const [a, w, bias] = x;
        const k = a.length / B; // inner dimension: d for the first layer, h for the second
        const n = out.length / B;
        for (let r = 0; r < B; r++)
          for (let c = 0; c < n; c++) {
            let s = 0;
            for (let j = 0; j < k; j++) s = this.acc(s, f(a[r * k + j] * w[j * n + c]));
            out[r * n + c] = f(s + bias[c]);
          }
        return out;
      }
      case "relu":
        for (let k = 0; k < out.length; k++) out[k] = x[0][k] > 0 ? x[0][k] : 0;
        return out;
      case "sub":
        for (let k = 0; k < out.length; k++) out[k] = f(x[0][k] - x[1][k]);
        return out;
      case "scale_mean2":
        for (let k = 0; k < out.length; k++) out[k] = f(x[0][k] * f(2 / B));
        return out;
      case "matmul_tn": {
        // a^T g: a [B x m], g [B x n] -> [m x n]
        const [a, g] = x;
        const m = a.length / B;
        const n = g.length / B;
        for (let r = 0; r < m; r++)
          for (let c = 0; c < n; c++) {
            let s = 0;
            for (let b = 0; b < B; b++) s = this.acc(s, f(a[b * m + r] * g[b * n + c]));
            out[r * n + c] = f(s);
          }
        return out;
      }
      case "colsum": {
        const n = out.length;
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let b = 0; b < B; b++) s = f(s + x[0][b * n + c]);
          out[c] = s;
        }
        return out;
      }
      case "outer":
        for (let b = 0; b < B; b++) for (let c = 0; c < h; c++) out[b * h + c] = f(x[0][b] * x[1][c]);
        return out;
      case "relu_grad":
        for (let k = 0; k < out.length; k++) out[k] = x[1][k] > 0 ? x[0][k] : 0;
        return out;
      case "sgd":
        for (let k = 0; k < out.length; k++) out[k] = f(x[0][k] - f(this.lrScale[0] * x[1][k]));
        return out;
      default:
        throw new ConfigError(`TinyMlpProgram: unknown op ${node.op} at node ${node.index}`);
    }
  }
}
