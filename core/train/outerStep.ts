// DiLoCo outer step (REFERENCE §5): pseudo-gradient delta = theta_global - mean_i(theta_i), then
// outer SGD with Nesterov momentum (PyTorch convention: b <- mu*b + g; theta <- theta - lr*(g + mu*b)).
import { ConfigError } from "../errors.ts";

/** Outer optimizer settings; the paper's defaults are lr 0.7, momentum 0.9. */
export interface OuterSgdConfig {
  lr: number;
  momentum: number;
  nesterov: boolean;
}

export const DILOCO_OUTER: OuterSgdConfig = { lr: 0.7, momentum: 0.9, nesterov: true };

/**
 * delta[j] = global[j] - mean over replicas of theta[r*stride + offset + j], for j in [0, length).
 * Replicas listed in `replicas` (sorted ascending by the caller) are averaged in that order.
 */
export function pseudoGradient(
  global: Float32Array,
  replicaParams: Float32Array,
  stride: number,
  replicas: readonly number[],
  out: Float32Array,
  offset = 0,
  length = global.length,
): Float32Array {
  if (replicas.length === 0) throw new ConfigError("pseudoGradient: no replicas contributed to this outer step");
  if (out.length < length) throw new ConfigError(`pseudoGradient: out has ${out.length} entries, need ${length}`);
  const inv = 1 / replicas.length;
  for (let j = 0; j < length; j++) {
    let s = 0;
    for (let k = 0; k < replicas.length; k++) s += replicaParams[replicas[k] * stride + offset + j];
    out[j] = Math.fround(global[offset + j] - Math.fround(s * inv));
  }
  return out;
}

/**
 * In place: theta -= lr * (g + mu*b) with b <- mu*b + g (Nesterov), or theta -= lr*b (plain
 * momentum), over theta/buf[offset .. offset+length); grad is indexed from 0 (fragment-local).
 */
export function outerSgdStep(
  theta: Float32Array,
  grad: Float32Array,
  buf: Float32Array,
  cfg: OuterSgdConfig,
  offset = 0,
  length = grad.length,
): void {
  const { lr, momentum: mu, nesterov } = cfg;
  for (let j = 0; j < length; j++) {
    const g = grad[j];
    const b = Math.fround(mu * buf[offset + j] + g);
    buf[offset + j] = b;
    const step = nesterov ? Math.fround(g + mu * b) : b;
    theta[offset + j] = Math.fround(theta[offset + j] - Math.fround(lr * step));
  }
}
