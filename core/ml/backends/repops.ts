// The repops backend: bitwise-reproducible execution of every IR op (REFERENCE §2). Fixed
// reduction order, float32 rounding at each stored value, software exp/log/tanh (repops/math32),
// no dependence on the replica count: bit-identical on Bun and Node, across runs, and between
// batched and unbatched replicas. Values are plain Float32Arrays and are never mutated.
import { ConfigError } from "../../errors.ts";
import type { Backend } from "../backend.ts";
import type { GraphNode } from "../graph.ts";
import { matmulDims } from "../opDefs.ts";
import * as K from "../repops/kernels.ts";
import { exp32, log32 } from "../repops/math32.ts";
import { type Shape, sizeOf } from "../tensor.ts";
import { binaryScalar, broadcastScalar, sumScalar, transposeScalar } from "./scalarKernels.ts";

const fr = Math.fround;
const ones = (d: number) => new Float32Array(d).fill(1);
const last = (s: Shape) => (s.length ? s[s.length - 1] : 1);

function map1(x: Float32Array, f: (v: number) => number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  return out;
}

/** Per-row log-sum-exp pieces: max and sum of exp(z - max), ascending order. */
function rowSoftmaxDenominator(z: Float32Array, o: number, c: number): [number, number] {
  let mx = -Infinity;
  for (let j = 0; j < c; j++) if (z[o + j] > mx) mx = z[o + j];
  let s = 0;
  for (let j = 0; j < c; j++) s = fr(s + exp32(fr(z[o + j] - mx)));
  return [mx, s];
}

/** out[o+j] = exp(z[o+j] - max) for j < c; returns their float32 sum (ascending order). */
function rowExp(z: Float32Array, out: Float32Array, o: number, c: number): number {
  let mx = -Infinity;
  for (let j = 0; j < c; j++) if (z[o + j] > mx) mx = z[o + j];
  let s = 0;
  for (let j = 0; j < c; j++) {
    const e = exp32(fr(z[o + j] - mx));
    out[o + j] = e;
    s = fr(s + e);
  }
  return s;
}

function targetIndex(t: number, c: number, where: string): number {
  if (!Number.isInteger(t) || t < 0 || t >= c) throw new ConfigError(`${where}: target/id ${t} is not an integer in [0, ${c})`);
  return t;
}

function softmaxXent(z: Float32Array, t: Float32Array, c: number): Float32Array {
  const out = new Float32Array(t.length);
  for (let r = 0; r < t.length; r++) {
    const o = r * c;
    const [mx, s] = rowSoftmaxDenominator(z, o, c);
    out[r] = fr(fr(mx + log32(s)) - z[o + targetIndex(t[r], c, "softmaxXent")]);
  }
  return out;
}

function softmaxXentGrad(g: Float32Array, z: Float32Array, t: Float32Array, c: number): Float32Array {
  const out = new Float32Array(z.length);
  for (let r = 0; r < t.length; r++) {
    const o = r * c;
    const s = rowExp(z, out, o, c);
    const k = targetIndex(t[r], c, "softmaxXentGrad");
    for (let j = 0; j < c; j++) {
      const p = fr(out[o + j] / s);
      out[o + j] = fr((j === k ? fr(p - 1) : p) * g[r]);
    }
  }
  return out;
}

/** Softmax over j <= i of each [T, T] row block (query i, key j); masked entries are 0. */
function causalSoftmax(x: Float32Array, t: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let row = 0; row < x.length / t; row++) {
    const o = row * t;
    const n = (row % t) + 1;
    const s = rowExp(x, out, o, n);
    for (let j = 0; j < n; j++) out[o + j] = fr(out[o + j] / s);
  }
  return out;
}

function softmaxGrad(g: Float32Array, p: Float32Array, c: number): Float32Array {
  const out = new Float32Array(p.length);
  for (let o = 0; o < p.length; o += c) {
    let s = 0;
    for (let j = 0; j < c; j++) s = fr(s + fr(g[o + j] * p[o + j]));
    for (let j = 0; j < c; j++) out[o + j] = fr(p[o + j] * fr(g[o + j] - s));
  }
  return out;
}

function embedding(table: Float32Array, ids: Float32Array, v: number, d: number, replicas: number): Float32Array {
  const out = new Float32Array(ids.length * d);
  const per = ids.length / replicas;
  for (let p = 0; p < ids.length; p++) {
    const row = (Math.floor(p / per) * v + targetIndex(ids[p], v, "embedding")) * d;
    out.set(table.subarray(row, row + d), p * d);
  }
  return out;
}

/** Scatter-add rows of g into [vocab, d] per replica, in ascending position order. */
function embeddingGrad(g: Float32Array, ids: Float32Array, v: number, d: number, replicas: number): Float32Array {
  const out = new Float32Array(replicas * v * d);
  const per = ids.length / replicas;
  for (let p = 0; p < ids.length; p++) {
    const row = (Math.floor(p / per) * v + targetIndex(ids[p], v, "embeddingGrad")) * d;
    for (let j = 0; j < d; j++) out[row + j] += g[p * d + j];
  }
  return out;
}

/** Per-replica hyperparameter j of an optimizer op's hp input. */
const hyper = (hp: Float32Array, r: number, width: number, j: number) => hp[r * width + j];

function exec(node: GraphNode, shapes: readonly Shape[], x: readonly Float32Array[], R: number): Float32Array {
  const a = node.attrs;
  switch (node.op) {
    case "fill":
      return new Float32Array(R * sizeOf(node.shape)).fill(fr(a.value as number));
    case "matmul": {
      const { batch, m, k, n } = matmulDims(shapes[0], shapes[1], a);
      // ML-KERNELS' WebAssembly SIMD matmul: same order as matmulScalar (acc = +0, k ascending, no FMA).
      return K.matmul(x[0], x[1], { m, k, n, batch: batch * R, transA: !!a.transA, transB: !!a.transB });
    }
    case "add":
    case "sub":
    case "mul": {
      if (x[0].length === x[1].length) return K[node.op](x[0], x[1]);
      const cols = x[1].length / R;
      if (node.op === "add") return K.addBias(x[0], x[1], { batch: R, rows: x[0].length / R / cols, cols });
      return binaryScalar(x[0], x[1], R, node.op);
    }
    case "scale":
      return K.scale(x[0], a.s as number);
    case "relu":
      return K.relu(x[0]);
    case "reluGrad":
      return K.reluGrad(x[1], x[0]);
    case "gelu":
      return K.gelu(x[0]);
    case "geluGrad":
      return K.geluGrad(x[1], x[0]);
    // LayerNorm via ML-KERNELS' wasm kernels (orders documented in repops/kernels.ts; lnNormalize
    // is layerNorm with gamma = 1, beta = 0, so it equals the forward pass's xhat exactly).
    case "layernorm": {
      const d = last(shapes[0]);
      return K.layerNorm(x[0], x[1], x[2], { batch: R, rows: x[0].length / R / d, d, eps: a.eps as number }).y;
    }
    case "lnNormalize": {
      const d = last(shapes[0]);
      return K.layerNorm(x[0], ones(d), new Float32Array(d), { batch: R, rows: x[0].length / R / d, d, eps: a.eps as number }).y;
    }
    case "layernormGradX": {
      const d = last(shapes[1]);
      const dims = { batch: R, rows: x[1].length / R / d, d };
      const { mean, rstd } = K.layerNorm(x[1], ones(d), new Float32Array(d), { ...dims, eps: a.eps as number });
      return K.layerNormGrad(x[0], x[1], x[2], mean, rstd, dims).dx;
    }
    case "softmaxXent":
      return softmaxXent(x[0], x[1], last(shapes[0]));
    case "softmaxXentGrad":
      return softmaxXentGrad(x[0], x[1], x[2], last(shapes[1]));
    case "embedding":
      return embedding(x[0], x[1], shapes[0][0], shapes[0][1], R);
    case "embeddingGrad":
      return embeddingGrad(x[0], x[1], a.vocab as number, last(shapes[0]), R);
    case "causalSoftmax":
      return causalSoftmax(x[0], last(shapes[0]));
    case "softmaxGrad":
      return softmaxGrad(x[0], x[1], last(shapes[0]));
    case "reshape":
      return x[0];
    case "transpose":
      return transposeScalar(x[0], shapes[0], a.perm as readonly number[], R);
    case "sumAll":
      return sumScalar(x[0], R);
    case "meanAll": {
      const n = sizeOf(shapes[0]);
      return map1(sumScalar(x[0], R), (v) => v / n);
    }
    case "sumLeading": {
      const cols = sizeOf(node.shape);
      return K.sumCols(x[0], { batch: R, rows: x[0].length / R / cols, cols });
    }
    case "broadcast":
      return broadcastScalar(x[0], sizeOf(shapes[0]), sizeOf(node.shape) / sizeOf(shapes[0]), R);
    case "adamM": {
      const b1 = a.beta1 as number;
      const out = new Float32Array(x[0].length);
      const [m, g] = x;
      const c1 = 1 - b1;
      for (let i = 0; i < out.length; i++) out[i] = fr(b1 * m[i]) + fr(c1 * g[i]);
      return out;
    }
    case "adamV": {
      const b2 = a.beta2 as number;
      const out = new Float32Array(x[0].length);
      const [v, g] = x;
      const c2 = 1 - b2;
      for (let i = 0; i < out.length; i++) out[i] = fr(b2 * v[i]) + fr(fr(c2 * g[i]) * g[i]);
      return out;
    }
    case "adamwParam": {
      // p - lr * (mhat / (sqrt(vhat) + eps) + wd * p); hp = [lr, 1 - beta1^t, 1 - beta2^t].
      const [p, m, v, hp] = x;
      const eps = a.eps as number;
      const wd = a.weightDecay as number;
      const out = new Float32Array(p.length);
      const size = p.length / R;
      for (let r = 0; r < R; r++) {
        const lr = hyper(hp, r, 3, 0), bc1 = hyper(hp, r, 3, 1), bc2 = hyper(hp, r, 3, 2);
        for (let i = r * size, e = i + size; i < e; i++) {
          const upd = fr(fr(m[i] / bc1) / fr(fr(Math.sqrt(fr(v[i] / bc2))) + eps));
          out[i] = p[i] - fr(lr * fr(upd + fr(wd * p[i])));
        }
      }
      return out;
    }
    case "nesterovBuf": {
      const mu = a.momentum as number;
      const out = new Float32Array(x[0].length);
      const [buf, g] = x;
      for (let i = 0; i < out.length; i++) out[i] = fr(mu * buf[i]) + g[i];
      return out;
    }
    case "nesterovParam": {
      // p - lr * (g + mu * buf'); hp = [lr].
      const [p, g, buf, hp] = x;
      const mu = a.momentum as number;
      const out = new Float32Array(p.length);
      const size = p.length / R;
      for (let r = 0; r < R; r++) {
        const lr = hp[r];
        for (let i = r * size, e = i + size; i < e; i++) out[i] = p[i] - fr(lr * fr(g[i] + fr(mu * buf[i])));
      }
      return out;
    }
    default:
      throw new ConfigError(`repops: op ${node.op} (node ${node.id}) is not executable`);
  }
}

export const repopsBackend: Backend<Float32Array> = {
  name: "repops",
  reproducible: true,
  upload: (data) => data,
  download: (value) => value,
  exec,
  dispose: () => {},
};
