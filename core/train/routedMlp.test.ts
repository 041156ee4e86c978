import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { ReplicaMlp } from "./replicaMlp.ts";
import { drawRoutes, routedLossAndGrad, stageRanges } from "./routedMlp.ts";

// Layout of one replica (replicaMlp.ts): W1 [inputs x hidden], b1 [hidden], W2 [hidden x classes], b2 [classes].
const tiny = { inputs: 2, hidden: 2, classes: 2 };

/** Independent float64 forward of the routed path: sum over slots of each slot's mean batch loss. */
function routedLoss64(params: Float64Array, stride: number, n: number, batch: number, x: Float32Array, y: Int32Array, route: Int32Array, shape: typeof tiny): number {
  const { inputs: d, hidden: hd, classes: c } = shape;
  let total = 0;
  for (let s = 0; s < n; s++) {
    for (let b = 0; b < batch; b++) {
      const r = route[b * n + s];
      const e = s * batch + b;
      const p0 = s * stride;
      const p1 = r * stride;
      const h = Array.from({ length: hd }, (_, j) => {
        let a = params[p0 + d * hd + j];
        for (let i = 0; i < d; i++) a += x[e * d + i] * params[p0 + i * hd + j];
        return Math.max(0, a);
      });
      const logits = Array.from({ length: c }, (_, k) => {
        let a = params[p1 + d * hd + hd + hd * c + k];
        for (let j = 0; j < hd; j++) a += h[j] * params[p1 + d * hd + hd + j * c + k];
        return a;
      });
      const mx = Math.max(...logits);
      const z = logits.reduce((acc, l) => acc + Math.exp(l - mx), 0);
      total += (Math.log(z) + mx - logits[y[e]]) / batch;
    }
  }
  return total;
}

describe("routed stages, 2 replicas x 2 stages", () => {
  // Replica 0: W1 = I, replica 1: W1 = 2I, zero biases, zero heads (so both heads give p = 1/2).
  const P = new ReplicaMlp(tiny).paramCount;
  const params = new Float32Array(2 * P);
  params.set([1, 0, 0, 1], 0);
  params.set([2, 0, 0, 2], P);
  const x = new Float32Array([1, 2, 3, -1]); // replica 0's example, then replica 1's
  const y = new Int32Array([0, 1]);
  const swap = new Int32Array([1, 0]); // slot 0's example to slot 1's head, slot 1's to slot 0's

  test("by hand: each head's gradient comes from the other replica's hidden layer", () => {
    const grads = new Float32Array(2 * P);
    const losses = new Float64Array(2);
    routedLossAndGrad(tiny, params, P, [0, 1], 1, x, y, swap, grads, losses);
    expect(losses[0]).toBeCloseTo(Math.LN2, 12);
    expect(losses[1]).toBeCloseTo(Math.LN2, 12);
    // Head 1 takes replica 0's activation relu(I [1, 2]) = [1, 2], label 0: dlogits = [-1/2, 1/2].
    expect([...grads.subarray(P + 6, P + 12)]).toEqual([-0.5, 0.5, -1, 1, -0.5, 0.5]);
    // Head 0 takes replica 1's activation relu(2I [3, -1]) = [6, 0], label 1: dlogits = [1/2, -1/2].
    expect([...grads.subarray(6, 12)]).toEqual([3, -3, 0, 0, 0.5, -0.5]);
    // Zero heads send back a zero activation gradient: no stage-0 gradient.
    expect([...grads.subarray(0, 6), ...grads.subarray(P, P + 6)]).toEqual(new Array(12).fill(0));
  });

  test("every stage's gradient is the float64 finite-difference gradient of the routed loss", () => {
    const s = new RngStreams(3);
    const w = new Float32Array(2 * P);
    const mlp = new ReplicaMlp(tiny);
    mlp.init(w, 0, s.stream("init", 0));
    mlp.init(w, P, s.stream("init", 1));
    const rb = s.stream("bias");
    for (const o of [4, 5, 10, 11]) for (const r of [0, 1]) w[r * P + o] = 0.1 * rb.normal(); // biases too
    const batch = 3;
    const rx = s.stream("x");
    const xs = Float32Array.from({ length: 2 * batch * 2 }, () => rx.normal());
    const ys = new Int32Array([0, 1, 1, 0, 0, 1]);
    const route = new Int32Array([1, 0, 0, 1, 1, 0]); // examples 0 and 2 cross, example 1 stays
    const grads = new Float32Array(2 * P);
    routedLossAndGrad(tiny, w, P, [0, 1], batch, xs, ys, route, grads, new Float64Array(2));
    const w64 = Float64Array.from(w);
    const eps = 1e-6;
    for (let i = 0; i < 2 * P; i++) {
      const up = Float64Array.from(w64);
      const dn = Float64Array.from(w64);
      up[i] += eps;
      dn[i] -= eps;
      const fd = (routedLoss64(up, P, 2, batch, xs, ys, route, tiny) - routedLoss64(dn, P, 2, batch, xs, ys, route, tiny)) / (2 * eps);
      expect(grads[i]).toBeCloseTo(fd, 5);
    }
    // The routing matters: the same weights and data unrouted give other gradients.
    const fixed = new Float32Array(2 * P);
    routedLossAndGrad(tiny, w, P, [0, 1], batch, xs, ys, new Int32Array([0, 1, 0, 1, 0, 1]), fixed, new Float64Array(2));
    expect(fixed).not.toEqual(grads);
  });

  test("a fully swapped head's gradient is an unrouted replica's: replica 1's hidden layer under replica 0's head, on replica 1's data", () => {
    const s = new RngStreams(4);
    const mlp = new ReplicaMlp(tiny);
    const w = new Float32Array(2 * P);
    mlp.init(w, 0, s.stream("init", 0));
    mlp.init(w, P, s.stream("init", 1));
    const batch = 4;
    const rx = s.stream("x");
    const xs = Float32Array.from({ length: 2 * batch * 2 }, () => rx.normal());
    const ys = new Int32Array([0, 1, 1, 0, 1, 1, 0, 0]);
    const grads = new Float32Array(2 * P);
    routedLossAndGrad(tiny, w, P, [0, 1], batch, xs, ys, new Int32Array(2 * batch).map((_, i) => 1 - (i % 2)), grads, new Float64Array(2));
    const [[, split]] = stageRanges(tiny);
    const chimera = new Float32Array(P);
    chimera.set(w.subarray(P, P + split), 0);
    chimera.set(w.subarray(split, P), split);
    const g = new Float32Array(P);
    mlp.lossAndGrad(chimera, 0, [0], batch, xs.subarray(batch * 2), ys.subarray(batch), g, new Float64Array(1));
    expect([...grads.subarray(split, P)]).toEqual([...g.subarray(split, P)]); // head 0
    expect([...grads.subarray(P, P + split)]).toEqual([...g.subarray(0, split)]); // hidden layer 1
  });
});

describe("routed stages, unrouted", () => {
  test("the identity route is replicaMlp.ts's lossAndGrad bit for bit", () => {
    const shape = { inputs: 5, hidden: 7, classes: 3 };
    const mlp = new ReplicaMlp(shape);
    const s = new RngStreams(9);
    const n = 3;
    const batch = 4;
    const w = new Float32Array(4 * mlp.paramCount);
    for (let r = 0; r < 4; r++) mlp.init(w, r * mlp.paramCount, s.stream("init", r));
    const rx = s.stream("x");
    const x = Float32Array.from({ length: n * batch * shape.inputs }, () => rx.normal());
    const y = Int32Array.from({ length: n * batch }, (_, i) => (i * 7) % 3);
    const workers = [3, 0, 2];
    const a = new Float32Array(n * mlp.paramCount);
    const b = new Float32Array(n * mlp.paramCount);
    const la = new Float64Array(n);
    const lb = new Float64Array(n);
    routedLossAndGrad(shape, w, mlp.paramCount, workers, batch, x, y, new Int32Array(n * batch).map((_, i) => i % n), a, la);
    mlp.lossAndGrad(w, mlp.paramCount, workers, batch, x, y, b, lb);
    expect(a).toEqual(b);
    expect(la).toEqual(lb);
  });

  test("a route outside the slots is refused", () => {
    const P = new ReplicaMlp(tiny).paramCount;
    expect(() => routedLossAndGrad(tiny, new Float32Array(P), P, [0], 1, new Float32Array(2), new Int32Array(1), new Int32Array([1]), new Float32Array(P), new Float64Array(1))).toThrow("route[0] = 1 is not a slot of 1");
  });
});

describe("drawRoutes", () => {
  test("one permutation of the slots per example, the same for the same stream", () => {
    const s = new RngStreams(2);
    const r = drawRoutes(s.stream("noloco", "route", "a", 7), 5, 6);
    for (let b = 0; b < 6; b++) expect([...r.subarray(b * 5, b * 5 + 5)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(drawRoutes(new RngStreams(2).stream("noloco", "route", "a", 7), 5, 6)).toEqual(r);
    expect(drawRoutes(s.stream("noloco", "route", "a", 8), 5, 6)).not.toEqual(r);
    // Over many steps about (n-1)/n of the examples go to another slot's head.
    let crossed = 0;
    for (let t = 0; t < 200; t++) drawRoutes(s.stream("noloco", "route", "a", t), 5, 6).forEach((v, i) => (crossed += v !== i % 5 ? 1 : 0));
    expect(crossed / (200 * 30)).toBeCloseTo(0.8, 1);
  });
});
