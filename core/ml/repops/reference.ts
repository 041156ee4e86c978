// Scalar TypeScript reference of every RepOps kernel (REFERENCE §2): Math.fround after every
// operation, the same formulas and summation orders as asm/assembly/*.ts. The WebAssembly kernels
// must match these bit for bit (kernels.test.ts); shapes are validated by kernels.ts, not here.
import { pow } from "../../des/math.ts";
import { exp32, gelu32, geluGrad32, log32 } from "./math32.ts";

const fr = Math.fround;

export interface MatmulDims {
  m: number; k: number; n: number; batch?: number; transA?: boolean; transB?: boolean;
}

/** C[s] = op(A[s]) . op(B[s]); acc = +0, then acc = f32(acc + f32(a*b)) for p = 0..k-1. */
export function matmulRef(a: Float32Array, b: Float32Array, d: MatmulDims): Float32Array {
  const { m, k, n } = d;
  const batch = d.batch ?? 1;
  const sa = a.length === m * k ? 0 : m * k;
  const sb = b.length === k * n ? 0 : k * n;
  const c = new Float32Array(batch * m * n);
  for (let s = 0; s < batch; s++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const x = d.transA ? a[s * sa + p * m + i] : a[s * sa + i * k + p];
          const y = d.transB ? b[s * sb + j * k + p] : b[s * sb + p * n + j];
          acc = fr(acc + fr(x * y));
        }
        c[s * m * n + i * n + j] = acc;
      }
    }
  }
  return c;
}

export type BinaryOp = "add" | "sub" | "mul" | "div";

export function binaryRef(op: BinaryOp, a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    out[i] = op === "add" ? a[i] + b[i] : op === "sub" ? a[i] - b[i] : op === "mul" ? a[i] * b[i] : a[i] / b[i];
  }
  return out; // storing into a Float32Array rounds once: the float64 result of one op on floats
}

export function scaleRef(x: Float32Array, s: number): Float32Array {
  const f = fr(s);
  return x.map((v) => v * f);
}

/** y + alpha * x */
export function axpyRef(alpha: number, x: Float32Array, y: Float32Array): Float32Array {
  const a = fr(alpha);
  return y.map((v, i) => fr(v + fr(a * x[i])));
}

export function addBiasRef(x: Float32Array, bias: Float32Array, batch: number, rows: number, cols: number): Float32Array {
  const stride = bias.length === cols ? 0 : cols;
  const out = new Float32Array(x.length);
  for (let s = 0, o = 0; s < batch; s++) for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++, o++) out[o] = x[o] + bias[s * stride + c];
  return out;
}

export const reluRef = (x: Float32Array): Float32Array => x.map((v) => (v > 0 ? v : 0));
export const reluGradRef = (x: Float32Array, dy: Float32Array): Float32Array => x.map((v, i) => (v > 0 ? dy[i] : 0));
export const geluRef = (x: Float32Array): Float32Array => x.map(gelu32);
export const geluGradRef = (x: Float32Array, dy: Float32Array): Float32Array => x.map((v, i) => fr(dy[i] * geluGrad32(v)));

function rowMax(x: Float32Array, o: number, cols: number): number {
  let m = x[o];
  for (let c = 1; c < cols; c++) if (x[o + c] > m) m = x[o + c];
  return m;
}

export function softmaxRowsRef(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const m = rowMax(x, o, cols);
    let sum = 0;
    for (let c = 0; c < cols; c++) { const e = exp32(fr(x[o + c] - m)); out[o + c] = e; sum = fr(sum + e); }
    for (let c = 0; c < cols; c++) out[o + c] = fr(out[o + c] / sum);
  }
  return out;
}

export function logSoftmaxRowsRef(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const m = rowMax(x, o, cols);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum = fr(sum + exp32(fr(x[o + c] - m)));
    const lse = log32(sum);
    for (let c = 0; c < cols; c++) out[o + c] = fr(fr(x[o + c] - m) - lse);
  }
  return out;
}

export function softmaxRowsGradRef(y: Float32Array, dy: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(y.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let c = 0; c < cols; c++) s = fr(s + fr(dy[o + c] * y[o + c]));
    for (let c = 0; c < cols; c++) out[o + c] = fr(y[o + c] * fr(dy[o + c] - s));
  }
  return out;
}

export function sumRowsRef(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s = fr(s + x[r * cols + c]);
    out[r] = s;
  }
  return out;
}

export function sumColsRef(x: Float32Array, batch: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(batch * cols);
  for (let s = 0; s < batch; s++) for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    out[s * cols + c] = fr(out[s * cols + c] + x[(s * rows + r) * cols + c]);
  }
  return out;
}

export interface LayerNormDims { batch?: number; rows: number; d: number; eps: number }

export function layerNormRef(x: Float32Array, gamma: Float32Array, beta: Float32Array, dims: LayerNormDims) {
  const { rows, d } = dims;
  const batch = dims.batch ?? 1;
  const eps = fr(dims.eps);
  const ps = gamma.length === d ? 0 : d;
  const y = new Float32Array(x.length), mean = new Float32Array(batch * rows), rstd = new Float32Array(batch * rows);
  for (let s = 0; s < batch; s++) for (let r = 0; r < rows; r++) {
    const row = s * rows + r, o = row * d;
    let sum = 0;
    for (let c = 0; c < d; c++) sum = fr(sum + x[o + c]);
    const mu = fr(sum / d);
    let sq = 0;
    for (let c = 0; c < d; c++) { const xc = fr(x[o + c] - mu); sq = fr(sq + fr(xc * xc)); }
    const rs = fr(1 / Math.sqrt(fr(fr(sq / d) + eps)));
    for (let c = 0; c < d; c++) y[o + c] = fr(fr(fr(fr(x[o + c] - mu) * rs) * gamma[s * ps + c]) + beta[s * ps + c]);
    mean[row] = mu;
    rstd[row] = rs;
  }
  return { y, mean, rstd };
}

export function layerNormGradRef(dy: Float32Array, x: Float32Array, gamma: Float32Array, mean: Float32Array,
  rstd: Float32Array, dims: Omit<LayerNormDims, "eps">) {
  const { rows, d } = dims;
  const batch = dims.batch ?? 1;
  const ps = gamma.length === d ? 0 : d;
  const dx = new Float32Array(x.length);
  const dgamma = new Float32Array(gamma.length), dbeta = new Float32Array(gamma.length);
  for (let s = 0; s < batch; s++) for (let r = 0; r < rows; r++) {
    const row = s * rows + r, o = row * d, g = s * ps;
    const mu = mean[row], rs = rstd[row];
    let s1 = 0, s2 = 0;
    for (let c = 0; c < d; c++) {
      const xh = fr(fr(x[o + c] - mu) * rs);
      const gh = fr(dy[o + c] * gamma[g + c]);
      s1 = fr(s1 + gh);
      s2 = fr(s2 + fr(gh * xh));
      dgamma[g + c] = fr(dgamma[g + c] + fr(dy[o + c] * xh));
      dbeta[g + c] = fr(dbeta[g + c] + dy[o + c]);
    }
    const m1 = fr(s1 / d), m2 = fr(s2 / d);
    for (let c = 0; c < d; c++) {
      const xh = fr(fr(x[o + c] - mu) * rs);
      const gh = fr(dy[o + c] * gamma[g + c]);
      dx[o + c] = fr(rs * fr(fr(gh - m1) - fr(xh * m2)));
    }
  }
  return { dx, dgamma, dbeta };
}

export interface AdamWOptions { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; step: number }

/** The float32 scalars of one AdamW step (step counts from 1); shared by both implementations. */
export function adamwScalars(o: AdamWOptions) {
  return {
    lr: fr(o.lr), b1: fr(o.beta1), b2: fr(o.beta2), c1: fr(1 - fr(o.beta1)), c2: fr(1 - fr(o.beta2)),
    eps: fr(o.eps), lrwd: fr(fr(o.lr) * fr(o.weightDecay)),
    bc1: fr(1 - pow(fr(o.beta1), o.step)), bc2: fr(1 - pow(fr(o.beta2), o.step)),
  };
}

/** AdamW in place on p, m, v (see asm/assembly/elementwise.ts adamw for the formula). */
export function adamwRef(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, o: AdamWOptions): void {
  const k = adamwScalars(o);
  for (let i = 0; i < p.length; i++) {
    let pi = p[i];
    pi = fr(pi - fr(k.lrwd * pi));
    const mi = fr(fr(k.b1 * m[i]) + fr(k.c1 * g[i]));
    const vi = fr(fr(k.b2 * v[i]) + fr(fr(k.c2 * g[i]) * g[i]));
    m[i] = mi;
    v[i] = vi;
    const denom = fr(fr(Math.sqrt(fr(vi / k.bc2))) + k.eps);
    p[i] = fr(pi - fr(k.lr * fr(fr(mi / k.bc1) / denom)));
  }
}
