// The proxy MLP (replicaMlp.ts) split into two pipeline stages and trained with NoLoCo's random
// routing (REFERENCE §5, gensyn-ai/noloco dipaco_pipeline.py): stage 0 is the hidden layer
// (W1, b1, ReLU), stage 1 the head (W2, b2, softmax cross-entropy). Example b of the replica in
// slot s runs through stage 0 of slot s (the data owner) and stage 1 of slot route[b*n + s]; the
// gradient flows back along the same path, so a stage-1 replica's gradient is driven by other
// replicas' hidden layers and a stage-0 replica's by other replicas' heads. Fixed summation order,
// float64 accumulation, float32 storage and core/des/math exp/log as replicaMlp.ts: with the
// identity route it gives replicaMlp.ts's lossAndGrad bit for bit.
import { exp, log } from "../des/math.ts";
import { ConfigError } from "../errors.ts";
import type { Rng } from "../des/rng.ts";
import type { MlpShape } from "./replicaMlp.ts";

/** Where each stage's parameters sit in a replica's vector (replicaMlp.ts's layout). */
export function stageRanges(shape: MlpShape): [start: number, end: number][] {
  const { inputs: d, hidden: hd, classes: c } = shape;
  const oW2 = d * hd + hd;
  return [
    [0, oW2],
    [oW2, oW2 + hd * c + c],
  ];
}

/**
 * One route per example: for each example index b, a random permutation of the n slots drawn from
 * `rng` (route[b*n + s] = the slot whose stage 1 takes slot s's example b). A permutation, as the
 * reference's (each stage-1 replica receives exactly one example per index from one sender).
 */
export function drawRoutes(rng: Rng, n: number, batch: number): Int32Array {
  const route = new Int32Array(n * batch);
  const perm = Array.from({ length: n }, (_, s) => s);
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < n; s++) perm[s] = s;
    rng.shuffle(perm);
    for (let s = 0; s < n; s++) route[b * n + s] = perm[s];
  }
  return route;
}

/**
 * Mean loss of each slot's batch and every slot's gradient through the routed path. Slot s holds
 * replica workers[s] at params[workers[s]*stride ..], its examples x[(s*batch + b)*inputs ..] and
 * labels y[s*batch + b]; gradients to grads[s*paramCount ..], its batch's loss to losses[s].
 */
export function routedLossAndGrad(
  shape: MlpShape,
  params: Float32Array,
  stride: number,
  workers: readonly number[],
  batch: number,
  x: Float32Array,
  y: Int32Array,
  route: Int32Array,
  grads: Float32Array,
  losses: Float64Array,
): void {
  const { inputs: d, hidden: hd, classes: c } = shape;
  const n = workers.length;
  if (route.length !== n * batch) throw new ConfigError(`routedLossAndGrad: route has ${route.length} entries, expected ${n} slots x ${batch} examples`);
  const oB1 = d * hd;
  const oW2 = oB1 + hd;
  const oB2 = oW2 + hd * c;
  const P = oB2 + c;
  const g = new Float64Array(n * P);
  const h = new Float64Array(hd);
  const dh = new Float64Array(hd);
  const lg = new Float64Array(c);
  const inv = 1 / batch;
  for (let s = 0; s < n; s++) {
    const o0 = workers[s] * stride; // stage 0: the data owner's hidden layer
    const g0 = s * P;
    let total = 0;
    for (let b = 0; b < batch; b++) {
      const r = route[b * n + s];
      if (!(r >= 0 && r < n)) throw new ConfigError(`routedLossAndGrad: route[${b * n + s}] = ${r} is not a slot of ${n}`);
      const o1 = workers[r] * stride; // stage 1: the head it is routed to
      const g1 = r * P;
      const e = s * batch + b;
      const xo = e * d;
      for (let j = 0; j < hd; j++) h[j] = params[o0 + oB1 + j];
      for (let i = 0; i < d; i++) {
        const xi = x[xo + i];
        if (xi === 0) continue;
        const row = o0 + i * hd;
        for (let j = 0; j < hd; j++) h[j] += xi * params[row + j];
      }
      for (let j = 0; j < hd; j++) h[j] = h[j] > 0 ? Math.fround(h[j]) : 0; // the activation sent on, float32
      for (let k = 0; k < c; k++) lg[k] = params[o1 + oB2 + k];
      for (let j = 0; j < hd; j++) {
        const hj = h[j];
        if (hj === 0) continue;
        const row = o1 + oW2 + j * c;
        for (let k = 0; k < c; k++) lg[k] += hj * params[row + k];
      }
      // Softmax cross-entropy at the head, as replicaMlp.ts.
      let mx = -Infinity;
      for (let k = 0; k < c; k++) if (lg[k] > mx) mx = lg[k];
      let z = 0;
      for (let k = 0; k < c; k++) {
        lg[k] = exp(lg[k] - mx);
        z += lg[k];
      }
      const label = y[e];
      total += -log(lg[label] / z);
      for (let k = 0; k < c; k++) lg[k] /= z;
      lg[label] -= 1;
      // Backward: the head's gradient to slot r, the activation gradient back to slot s.
      for (let k = 0; k < c; k++) {
        lg[k] *= inv;
        g[g1 + oB2 + k] += lg[k];
      }
      for (let j = 0; j < hd; j++) {
        const row = o1 + oW2 + j * c;
        const grow = g1 + oW2 + j * c;
        const hj = h[j];
        let acc = 0;
        for (let k = 0; k < c; k++) {
          g[grow + k] += hj * lg[k];
          acc += params[row + k] * lg[k];
        }
        dh[j] = hj > 0 ? acc : 0;
      }
      for (let j = 0; j < hd; j++) g[g0 + oB1 + j] += dh[j];
      for (let i = 0; i < d; i++) {
        const xi = x[xo + i];
        if (xi === 0) continue;
        const grow = g0 + i * hd;
        for (let j = 0; j < hd; j++) g[grow + j] += xi * dh[j];
      }
    }
    losses[s] = total * inv;
  }
  for (let i = 0; i < n * P; i++) grads[i] = g[i];
}
