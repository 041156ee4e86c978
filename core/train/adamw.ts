// AdamW on flat float32 parameter arrays, batched over replicas (DiLoCo's inner optimizer,
// REFERENCE §5). Bias corrections use exact integer powers (core/des/math pow), no Math.pow.
import { pow } from "../des/math.ts";

export interface AdamWConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWConfig = { lr: 4e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };

/**
 * One AdamW step at step number t (1-based) over [offset, offset+length) of the arrays:
 * m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2; p <- p - lr*(mhat/(sqrt(vhat)+eps) + wd*p).
 */
export function adamwStep(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  t: number,
  cfg: AdamWConfig,
  offset = 0,
  length = p.length - offset,
  lrScale = 1,
): void {
  const { beta1: b1, beta2: b2, eps, weightDecay: wd } = cfg;
  const lr = cfg.lr * lrScale;
  const c1 = 1 - pow(b1, t);
  const c2 = 1 - pow(b2, t);
  for (let j = offset; j < offset + length; j++) {
    const gj = g[j];
    const mj = Math.fround(b1 * m[j] + (1 - b1) * gj);
    const vj = Math.fround(b2 * v[j] + (1 - b2) * gj * gj);
    m[j] = mj;
    v[j] = vj;
    const upd = mj / c1 / (Math.sqrt(vj / c2) + eps) + wd * p[j];
    p[j] = Math.fround(p[j] - lr * upd);
  }
}

/**
 * In place: g <- g x min(1, maxNorm / (||g||_2 + 1e-6)) (torch's clip_grad_norm_ over all of a
 * replica's parameters); returns the norm before clipping. Squares summed in float32, in order.
 */
export function clipByGlobalNorm(g: Float32Array, maxNorm: number): number {
  let s = 0;
  for (let j = 0; j < g.length; j++) s = Math.fround(s + Math.fround(g[j] * g[j]));
  const norm = Math.fround(Math.sqrt(s));
  const c = Math.fround(maxNorm / Math.fround(norm + 1e-6));
  if (c < 1) for (let j = 0; j < g.length; j++) g[j] = Math.fround(g[j] * c);
  return norm;
}
