// The scalar kernels repops uses beside ML-KERNELS' wasm set: transposes against a naive index
// map, per replica.
import { describe, expect, test } from "bun:test";
import { transposeScalar } from "./scalarKernels.ts";

function naive(x: Float32Array, shape: number[], perm: number[], replicas: number): Float32Array {
  const size = x.length / replicas;
  const out = new Float32Array(x.length);
  const outShape = perm.map((p) => shape[p]);
  for (let r = 0; r < replicas; r++) {
    for (let o = 0; o < size; o++) {
      let rem = o;
      const oi = new Array<number>(shape.length);
      for (let d = shape.length - 1; d >= 0; d--) (oi[d] = rem % outShape[d]), (rem = Math.floor(rem / outShape[d]));
      const ii = new Array<number>(shape.length);
      perm.forEach((p, d) => (ii[p] = oi[d]));
      let src = 0;
      for (let d = 0; d < shape.length; d++) src = src * shape[d] + ii[d];
      out[r * size + o] = x[r * size + src];
    }
  }
  return out;
}

describe("transposeScalar", () => {
  const cases: [number[], number[]][] = [
    [[2, 3, 4, 5], [0, 2, 1, 3]],
    [[2, 3, 4], [2, 0, 1]],
    [[3, 4], [1, 0]],
    [[2, 3, 4], [0, 1, 2]],
    [[4, 2, 3], [1, 0, 2]],
  ];
  for (const [shape, perm] of cases) {
    test(`shape [${shape}] perm [${perm}] over 3 replicas matches the index map`, () => {
      const n = 3 * shape.reduce((a, b) => a * b, 1);
      const x = Float32Array.from({ length: n }, (_, i) => i);
      expect([...transposeScalar(x, shape, perm, 3)]).toEqual([...naive(x, shape, perm, 3)]);
    });
  }
});
