import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { ReplicaMlp } from "./replicaMlp.ts";

const shape = { inputs: 3, hidden: 4, classes: 3 };

function setup(replicas: number, batch: number) {
  const mlp = new ReplicaMlp(shape);
  const s = new RngStreams(5);
  const params = new Float32Array(replicas * mlp.paramCount);
  for (let r = 0; r < replicas; r++) mlp.init(params, r * mlp.paramCount, s.stream("init", r));
  const rx = s.stream("x");
  const x = Float32Array.from({ length: replicas * batch * shape.inputs }, () => rx.normal());
  const y = Int32Array.from({ length: replicas * batch }, (_, i) => i % 3);
  return { mlp, params, x, y };
}

describe("ReplicaMlp", () => {
  test("parameter count and FLOPs per example", () => {
    const mlp = new ReplicaMlp(shape);
    expect(mlp.paramCount).toBe(3 * 4 + 4 + 4 * 3 + 3);
    expect(mlp.trainFlopsPerExample).toBe(6 * (12 + 12));
  });

  test("a tiny case by hand: zero weights give loss log(3) and gradient softmax - onehot", () => {
    const mlp = new ReplicaMlp(shape);
    const params = new Float32Array(mlp.paramCount);
    const grads = new Float32Array(mlp.paramCount);
    const losses = new Float64Array(1);
    mlp.lossAndGrad(params, 0, [0], 1, new Float32Array([1, 2, 3]), new Int32Array([2]), grads, losses);
    expect(losses[0]).toBeCloseTo(Math.LN2 * 1.5849625007211563, 12); // ln 3
    const b2 = grads.subarray(mlp.paramCount - 3);
    expect(Array.from(b2).map((v) => +v.toFixed(6))).toEqual([0.333333, 0.333333, -0.666667]);
  });

  test("gradients match finite differences", () => {
    const { mlp, params, x, y } = setup(1, 4);
    const grads = new Float32Array(mlp.paramCount);
    const losses = new Float64Array(1);
    mlp.lossAndGrad(params, 0, [0], 4, x, y, grads, losses);
    const lossAt = (p: Float32Array) => {
      const l = new Float64Array(1);
      mlp.lossAndGrad(p, 0, [0], 4, x, y, new Float32Array(mlp.paramCount), l);
      return l[0];
    };
    for (const i of [0, 5, 13, 17, 25, mlp.paramCount - 1]) {
      const eps = 1e-2;
      const up = params.slice();
      const dn = params.slice();
      up[i] += eps;
      dn[i] -= eps;
      const fd = (lossAt(up) - lossAt(dn)) / (up[i] - dn[i]);
      expect(Math.abs(fd - grads[i])).toBeLessThan(2e-3);
    }
  });

  test("batched replicas give bit-identical results to one replica at a time", () => {
    const { mlp, params, x, y } = setup(3, 2);
    const P = mlp.paramCount;
    const all = new Float32Array(3 * P);
    const lossAll = new Float64Array(3);
    mlp.lossAndGrad(params, P, [0, 1, 2], 2, x, y, all, lossAll);
    for (let r = 0; r < 3; r++) {
      const one = new Float32Array(P);
      const l = new Float64Array(1);
      mlp.lossAndGrad(params.subarray(r * P), P, [0], 2, x.subarray(r * 2 * 3), y.subarray(r * 2), one, l);
      expect(l[0]).toBe(lossAll[r]);
      expect(Buffer.from(one.buffer).equals(Buffer.from(all.slice(r * P, (r + 1) * P).buffer))).toBe(true);
    }
  });
});
