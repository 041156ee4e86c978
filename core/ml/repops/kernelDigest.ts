// One sha256 over the outputs of every RepOps kernel on fixed inputs: a golden fingerprint that must be
// identical under Bun and Node, on every machine, in every run (REFERENCE §2; crossRuntime.test.ts).
import { hashConcat, hashTensor, toHex } from "../hash.ts";
import * as K from "./kernels.ts";
import { erf32, exp32, gelu32, geluGrad32, log32, sigmoid32, tanh32 } from "./math32.ts";

/** Deterministic inputs in [-scale, scale) from a 32-bit LCG (no dependency on any RNG library). */
function inputs(n: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

/** Every kernel's output on fixed inputs, in a fixed order. */
export function kernelOutputs(): Float32Array[] {
  const [batch, rows, cols] = [3, 13, 37];
  const n = batch * rows * cols;
  const x = inputs(n, 1, 6), y = inputs(n, 2, 2), dy = inputs(n, 3, 1);
  const a = inputs(batch * 29 * 45, 4, 1), b = inputs(batch * 45 * 19, 5, 1);
  const outs: Float32Array[] = [
    K.matmul(a, b, { m: 29, k: 45, n: 19, batch }),
    K.matmul(a.subarray(0, 29 * 45), b.subarray(0, 29 * 19), { m: 45, k: 29, n: 19, transA: true }),
    K.matmul(a, b.subarray(0, 45 * 19), { m: 29, k: 45, n: 19, batch }), // shared (broadcast) B
    K.matmul(a.subarray(0, 29 * 45), b.subarray(0, 19 * 45), { m: 29, k: 45, n: 19, transB: true }),
    K.add(x, y), K.sub(x, y), K.mul(x, y), K.div(x, y), K.scale(x, 0.37), K.axpy(-0.01, x, y),
    K.relu(x), K.reluGrad(x, dy), K.gelu(x), K.geluGrad(x, dy),
    K.softmaxRows(x, { rows: batch * rows, cols }), K.logSoftmaxRows(x, { rows: batch * rows, cols }),
    K.softmaxRowsGrad(K.softmaxRows(x, { rows: batch * rows, cols }), dy, { rows: batch * rows, cols }),
    K.sumRows(x, { rows: batch * rows, cols }), K.sumCols(x, { batch, rows, cols }),
    K.addBias(x, y.subarray(0, batch * cols), { batch, rows, cols }),
  ];
  const gamma = y.subarray(0, batch * cols), beta = dy.subarray(0, batch * cols);
  const ln = K.layerNorm(x, gamma, beta, { batch, rows, d: cols, eps: 1e-5 });
  const lg = K.layerNormGrad(dy, x, gamma, ln.mean, ln.rstd, { batch, rows, d: cols });
  outs.push(ln.y, ln.mean, ln.rstd, lg.dx, lg.dgamma, lg.dbeta);
  const p = y.slice(), m = new Float32Array(n), v = new Float32Array(n);
  for (let step = 1; step <= 3; step++) K.adamw(p, dy, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step });
  outs.push(p, m, v);
  // Wide and extreme inputs through the two-lane wasm paths (no NaN-producing values: NaN payloads
  // are engine-defined).
  const extreme = inputs(4096, 7, 1);
  extreme.forEach((v, i) => (extreme[i] = v * [1e-9, 1, 8, 30, 1e4][i % 5]));
  extreme.set([0, -0, 1e-45, -1e-45, 7.2, -7.2, 20, -20, 3e38, -3e38, 1e-30]);
  const masked = extreme.slice();
  masked[10] = -Infinity; // a masked logit
  outs.push(K.gelu(extreme), K.geluGrad(extreme.map((v) => (Math.abs(v) > 1e18 ? 0 : v)), inputs(4096, 8, 1)));
  outs.push(K.softmaxRows(masked, { rows: 64, cols: 64 }), K.logSoftmaxRows(masked, { rows: 64, cols: 64 }));
  const wide = inputs(4096, 6, 40);
  for (const f of [exp32, tanh32, erf32, sigmoid32, gelu32, geluGrad32]) outs.push(wide.map(f));
  outs.push(wide.map((t) => log32(Math.abs(t))));
  return outs;
}

/** sha256 hex over the hashes of every kernel output. */
export function kernelDigest(): string {
  return toHex(hashConcat(kernelOutputs().map((t) => hashTensor(t))));
}
