// Fixed-order float32 loops of the repops backend (REFERENCE §2): the loss's finishing passes
// over ML-KERNELS' wasm softmaxes, branch-free ReLU, embedding and the optimizer updates (no wasm
// kernel has their exact formulas).
// Each writes into `out` (a view of the output's resident block in wasm memory, repops.ts), reads
// its inputs in place, and depends on no replica count: batched == unbatched bitwise.
import { ConfigError } from "../../errors.ts";
import { exp32 } from "../repops/math32.ts";

const fr = Math.fround;
type F = Float32Array;

function targetIndex(t: number, c: number, where: string): number {
  if (!Number.isInteger(t) || t < 0 || t >= c) throw new ConfigError(`${where}: target/id ${t} is not an integer in [0, ${c})`);
  return t;
}

/**
 * Cross-entropy per row, max + log(sum exp(z - max)) - z[target], from ls = logSoftmax(z) by
 * ML-KERNELS' logSoftmaxRows (ls[j] = (z[j] - max) - lse, the same max, exponentials, ascending sum
 * and log32 as a scalar loop): at a column holding the max, ls = 0 - lse exactly, so lse = 0 - ls.
 */
export function softmaxXentFromLogSoftmax(z: F, ls: F, t: F, c: number, out: F): void {
  for (let r = 0; r < t.length; r++) {
    const o = r * c;
    let mx = -Infinity, at = o;
    for (let j = 0; j < c; j++) if (z[o + j] > mx) (mx = z[o + j]), (at = o + j);
    out[r] = fr(fr(mx + (0 - ls[at])) - z[o + targetIndex(t[r], c, "softmaxXent")]);
  }
}

/** From out = softmax(z) per row (ML-KERNELS' softmaxRows: the same max, exponentials, sum and
 * division as the scalar loop had): out = (p - onehot(t)) * g per row. */
export function softmaxXentGradFromSoftmax(g: F, t: F, c: number, out: F): void {
  for (let r = 0; r < t.length; r++) {
    const o = r * c;
    const k = targetIndex(t[r], c, "softmaxXentGrad");
    out[o + k] = fr(out[o + k] - 1);
    const gr = g[r];
    for (let j = 0; j < c; j++) out[o + j] = fr(out[o + j] * gr);
  }
}

/** Float32 bits -> -1 (all ones) when the float is > 0 (0 < bits <= +Infinity), else 0. */
const positive = (b: number) => {
  const x = (b - 1) | 0;
  return ~(x >> 31) & ((x - 0x7f800000) >> 31);
};

/** out = x > 0 ? x : +0, on the bits (branch-free: signs of activations are unpredictable). */
export function reluBits(x: Int32Array, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) {
    const b = x[i];
    out[i] = b & positive(b);
  }
}

/** out = x > 0 ? dy : +0, on the bits. */
export function reluGradBits(x: Int32Array, dy: Int32Array, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = dy[i] & positive(x[i]);
}

export function embedding(table: F, ids: F, v: number, d: number, replicas: number, out: F): void {
  const per = ids.length / replicas;
  for (let p = 0; p < ids.length; p++) {
    const row = (Math.floor(p / per) * v + targetIndex(ids[p], v, "embedding")) * d;
    out.set(table.subarray(row, row + d), p * d);
  }
}

/** Scatter-add rows of g into [vocab, d] per replica, in ascending position order. */
export function embeddingGrad(g: F, ids: F, v: number, d: number, replicas: number, out: F): void {
  out.fill(0);
  const per = ids.length / replicas;
  for (let p = 0; p < ids.length; p++) {
    const row = (Math.floor(p / per) * v + targetIndex(ids[p], v, "embeddingGrad")) * d;
    for (let j = 0; j < d; j++) out[row + j] += g[p * d + j];
  }
}

export function adamM(m: F, g: F, b1: number, out: F): void {
  const c1 = 1 - b1;
  for (let i = 0; i < out.length; i++) out[i] = fr(b1 * m[i]) + fr(c1 * g[i]);
}

export function adamV(v: F, g: F, b2: number, out: F): void {
  const c2 = 1 - b2;
  for (let i = 0; i < out.length; i++) out[i] = fr(b2 * v[i]) + fr(fr(c2 * g[i]) * g[i]);
}

/** p - lr * (mhat / (sqrt(vhat) + eps) + wd * p); hp = [lr, 1 - beta1^t, 1 - beta2^t] per replica. */
export function adamwParam(p: F, m: F, v: F, hp: F, eps: number, wd: number, R: number, out: F): void {
  const size = p.length / R;
  for (let r = 0; r < R; r++) {
    const lr = hp[r * 3], bc1 = hp[r * 3 + 1], bc2 = hp[r * 3 + 2];
    for (let i = r * size, e = i + size; i < e; i++) {
      const upd = fr(fr(m[i] / bc1) / fr(fr(Math.sqrt(fr(v[i] / bc2))) + eps));
      out[i] = p[i] - fr(lr * fr(upd + fr(wd * p[i])));
    }
  }
}

export function nesterovBuf(buf: F, g: F, mu: number, out: F): void {
  for (let i = 0; i < out.length; i++) out[i] = fr(mu * buf[i]) + g[i];
}

/**
 * Clip coefficient per replica from s = sum of squared gradients: min(1, maxNorm / (sqrt(s) + 1e-6)),
 * as torch's clip_grad_norm_ (norm and sum rounded to float32; IEEE sqrt is correctly rounded).
 */
export function clipCoef(s: F, maxNorm: number, out: F): void {
  for (let r = 0; r < out.length; r++) {
    const c = fr(maxNorm / fr(fr(Math.sqrt(s[r])) + 1e-6));
    out[r] = c < 1 ? c : 1;
  }
}

/**
 * GRPO clipped-surrogate coefficient per token (opDefs.ts grpoCoef): ratio = exp32(-xent - old),
 * A * ratio where the unclipped term is the minimum, else 0 (float32 throughout).
 */
export function grpoCoef(xent: F, old: F, adv: F, low: number, high: number, out: F): void {
  const lo = fr(1 - low), hi = fr(1 + high);
  for (let i = 0; i < out.length; i++) {
    const ratio = exp32(fr(fr(0 - xent[i]) - old[i]));
    const a = adv[i];
    const clipped = ratio < lo ? lo : ratio > hi ? hi : ratio;
    out[i] = fr(ratio * a) <= fr(clipped * a) ? fr(a * ratio) : 0;
  }
}

/** p - lr * (g + mu * buf'); hp = [lr] per replica. */
export function nesterovParam(p: F, g: F, buf: F, hp: F, mu: number, R: number, out: F): void {
  const size = p.length / R;
  for (let r = 0; r < R; r++) {
    const lr = hp[r];
    for (let i = r * size, e = i + size; i < e; i++) out[i] = p[i] - fr(lr * fr(g[i] + fr(mu * buf[i])));
  }
}
