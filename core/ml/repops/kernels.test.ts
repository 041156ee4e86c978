// The WebAssembly kernels equal the scalar TypeScript reference bit for bit, on odd shapes too;
// batched equals unbatched; wrong sizes are refused.
import { describe, expect, test } from "bun:test";
import { Rng } from "../../des/rng.ts";
import { hashTensor, toHex } from "../hash.ts";
import * as K from "./kernels.ts";
import * as R from "./reference.ts";
import { RepOpsError } from "./repopsError.ts";

function rand(rng: Rng, n: number, scale = 2): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-scale, scale);
  return a;
}

/** Bitwise equality (NaN matches NaN) with a readable failure (first differing index). */
function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length).toBe(want.length);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < g.length; i++) {
    // NaN payloads are engine-defined (kernels.ts header): any NaN matches any NaN.
    if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) throw new Error(`${what}: element ${i} differs: ${got[i]} vs reference ${want[i]}`);
  }
}

function checkMatmul(seed: string, cases: number): void {
  const rng = new Rng(seed);
  for (let c = 0; c < cases; c++) {
    const m = 1 + rng.int(19), k = 1 + rng.int(23), n = 1 + rng.int(21), batch = 1 + rng.int(3);
    const transA = rng.bernoulli(0.5), transB = rng.bernoulli(0.5);
    const a = rand(rng, (rng.bernoulli(0.2) ? 1 : batch) * m * k);
    const b = rand(rng, (rng.bernoulli(0.2) ? 1 : batch) * k * n);
    const dims = { m, k, n, batch, transA, transB };
    expectSameBits(K.matmul(a, b, dims), R.matmulRef(a, b, dims), `matmul ${JSON.stringify(dims)}`);
  }
}

describe("matmul equals the fixed-order scalar reference", () => {
  test("fixed seed: 60 random shapes, transposes, batches and broadcast operands", () => checkMatmul("mm-fixed", 60));
  test("property: 10 seeds x 15 shapes", () => {
    for (let s = 0; s < 10; s++) checkMatmul(`mm-${s}`, 15);
  });
  test("a 67x130x45 product (several tiles, ragged edges) and a pinned hash", () => {
    const rng = new Rng("mm-big");
    const a = rand(rng, 67 * 130), b = rand(rng, 130 * 45);
    const c = K.matmul(a, b, { m: 67, k: 130, n: 45 });
    expectSameBits(c, R.matmulRef(a, b, { m: 67, k: 130, n: 45 }), "67x130x45");
    expect(toHex(hashTensor(c)).length).toBe(64);
  });
  test("long reductions (k > 128, several k-slices) on whole-tile and ragged shapes", () => {
    const rng = new Rng("mm-long");
    for (const [m, k, n, batch] of [[4, 300, 32, 2], [3, 257, 17, 1], [2, 129, 16, 3], [1, 140, 5, 2]]) {
      const a = rand(rng, batch * m * k), b = rand(rng, batch * k * n);
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
        const dims = { m, k, n, batch, transA, transB };
        expectSameBits(K.matmul(a, b, dims), R.matmulRef(a, b, dims), `matmul ${JSON.stringify(dims)}`);
      }
    }
  });
  test("hand-computed 2x2", () => {
    const c = K.matmul(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), { m: 2, k: 2, n: 2 });
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
    const t = K.matmul(new Float32Array([1, 3, 2, 4]), new Float32Array([5, 7, 6, 8]), { m: 2, k: 2, n: 2, transA: true, transB: true });
    expect(Array.from(t)).toEqual([19, 22, 43, 50]);
  });
  test("batched equals unbatched, entry by entry", () => {
    const rng = new Rng("mm-batch");
    const [m, k, n, batch] = [5, 9, 11, 4];
    const a = rand(rng, batch * m * k), b = rand(rng, batch * k * n);
    const all = K.matmul(a, b, { m, k, n, batch });
    for (let s = 0; s < batch; s++) {
      const one = K.matmul(a.subarray(s * m * k, (s + 1) * m * k), b.subarray(s * k * n, (s + 1) * k * n), { m, k, n });
      expectSameBits(all.subarray(s * m * n, (s + 1) * m * n), one, `batch entry ${s}`);
    }
  });
  test("writes into `out` and refuses wrong sizes", () => {
    const out = new Float32Array(4);
    expect(K.matmul(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), { m: 2, k: 2, n: 2, out })).toBe(out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(() => K.matmul(new Float32Array(5), new Float32Array(4), { m: 2, k: 2, n: 2 })).toThrow(RepOpsError);
    expect(() => K.matmul(new Float32Array(5), new Float32Array(4), { m: 2, k: 2, n: 2 })).toThrow(/a has 5 elements, expected 4/);
    expect(() => K.matmul(new Float32Array(4), new Float32Array(4), { m: 2, k: 0, n: 2 })).toThrow(/k must be a positive integer/);
    // 1100 x 1000 x 1000 floats of output need 4.4 GB: more than wasm32 memory can hold.
    expect(() => K.matmul(new Float32Array(1000), new Float32Array(1000), { m: 1000, k: 1, n: 1000, batch: 1100 }))
      .toThrow(/wasm memory cannot grow/);
  });
});

function checkElementwise(seed: string): void {
  const rng = new Rng(seed);
  const rows = 1 + rng.int(9), cols = 1 + rng.int(37), batch = 1 + rng.int(3);
  const n = batch * rows * cols;
  const x = rand(rng, n, 6), y = rand(rng, n, 6), dy = rand(rng, n);
  x[0] = 0; // relu/gelu at exactly zero
  for (const op of ["add", "sub", "mul", "div"] as const) expectSameBits(K[op](x, y), R.binaryRef(op, x, y), op);
  expectSameBits(K.scale(x, 0.3), R.scaleRef(x, 0.3), "scale");
  expectSameBits(K.axpy(-0.01, x, y), R.axpyRef(-0.01, x, y), "axpy");
  expectSameBits(K.relu(x), R.reluRef(x), "relu");
  expectSameBits(K.reluGrad(x, dy), R.reluGradRef(x, dy), "reluGrad");
  expectSameBits(K.gelu(x), R.geluRef(x), "gelu");
  expectSameBits(K.geluGrad(x, dy), R.geluGradRef(x, dy), "geluGrad");
  const r = batch * rows;
  expectSameBits(K.softmaxRows(x, { rows: r, cols }), R.softmaxRowsRef(x, r, cols), "softmaxRows");
  expectSameBits(K.logSoftmaxRows(x, { rows: r, cols }), R.logSoftmaxRowsRef(x, r, cols), "logSoftmaxRows");
  const sm = K.softmaxRows(x, { rows: r, cols });
  expectSameBits(K.softmaxRowsGrad(sm, dy, { rows: r, cols }), R.softmaxRowsGradRef(sm, dy, r, cols), "softmaxRowsGrad");
  expectSameBits(K.sumRows(x, { rows: r, cols }), R.sumRowsRef(x, r, cols), "sumRows");
  expectSameBits(K.sumCols(x, { batch, rows, cols }), R.sumColsRef(x, batch, rows, cols), "sumCols");
  for (const shared of [true, false]) {
    const bias = rand(rng, shared ? cols : batch * cols);
    expectSameBits(K.addBias(x, bias, { batch, rows, cols }), R.addBiasRef(x, bias, batch, rows, cols), "addBias");
    const gamma = rand(rng, shared ? cols : batch * cols), beta = rand(rng, gamma.length);
    const dims = { batch, rows, d: cols, eps: 1e-5 };
    const ln = K.layerNorm(x, gamma, beta, dims), lr = R.layerNormRef(x, gamma, beta, dims);
    expectSameBits(ln.y, lr.y, "layerNorm y");
    expectSameBits(ln.mean, lr.mean, "layerNorm mean");
    expectSameBits(ln.rstd, lr.rstd, "layerNorm rstd");
    const g = K.layerNormGrad(dy, x, gamma, ln.mean, ln.rstd, dims), gr = R.layerNormGradRef(dy, x, gamma, lr.mean, lr.rstd, dims);
    expectSameBits(g.dx, gr.dx, "layerNormGrad dx");
    expectSameBits(g.dgamma, gr.dgamma, "layerNormGrad dgamma");
    expectSameBits(g.dbeta, gr.dbeta, "layerNormGrad dbeta");
  }
  const p = rand(rng, n), m = rand(rng, n, 0.1), v = rand(rng, n, 0.1).map(Math.abs);
  const [p2, m2, v2] = [p.slice(), m.slice(), v.slice()];
  for (let step = 1; step <= 3; step++) {
    const opts = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step };
    K.adamw(p, dy, m, v, opts);
    R.adamwRef(p2, dy, m2, v2, opts);
  }
  expectSameBits(p, p2, "adamw p");
  expectSameBits(m, m2, "adamw m");
  expectSameBits(v, v2, "adamw v");
}

describe("elementwise, row and optimizer kernels equal the reference", () => {
  test("fixed seed", () => checkElementwise("ew-fixed"));
  test("property: 25 seeds", () => {
    for (let s = 0; s < 25; s++) checkElementwise(`ew-${s}`);
  });
  test("gelu, geluGrad and softmax equal the reference on special and extreme inputs", () => {
    const rng = new Rng("ew-extreme");
    const special = [0, -0, 1e-45, -1e-45, 1e-9, -1e-9, 1e-8, 7.2, -7.2, 7.3, -7.3, 20, -20, 1e4, -1e4, 1e20, -1e20, 3e38, -3e38,
      Infinity, -Infinity, NaN, 88, -88, 104, -104];
    const x = new Float32Array(4096);
    x.set(special);
    for (let i = special.length; i < x.length; i++) x[i] = rng.uniform(-1, 1) * [1e-6, 1, 10, 100, 1e5][rng.int(5)];
    const dy = rand(rng, x.length);
    expectSameBits(K.gelu(x), R.geluRef(x), "gelu");
    expectSameBits(K.geluGrad(x, dy), R.geluGradRef(x, dy), "geluGrad");
    const finite = x.map((v) => (Number.isNaN(v) ? 0 : v));
    finite[5] = -Infinity; // a masked logit
    expectSameBits(K.softmaxRows(finite, { rows: 64, cols: 64 }), R.softmaxRowsRef(finite, 64, 64), "softmaxRows");
    expectSameBits(K.logSoftmaxRows(finite, { rows: 64, cols: 64 }), R.logSoftmaxRowsRef(finite, 64, 64), "logSoftmaxRows");
  });
  test("hand-checked values", () => {
    expect(Array.from(K.softmaxRows(new Float32Array([0, 0, 0, 0]), { rows: 2, cols: 2 }))).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(K.sumCols(new Float32Array([1, 2, 3, 4, 5, 6]), { rows: 3, cols: 2 }))).toEqual([9, 12]);
    expect(Array.from(K.sumRows(new Float32Array([1, 2, 3, 4, 5, 6]), { rows: 3, cols: 2 }))).toEqual([3, 7, 11]);
    expect(Array.from(K.relu(new Float32Array([-1, 0, 2])))).toEqual([0, 0, 2]);
    const ln = K.layerNorm(new Float32Array([1, 3]), new Float32Array([1, 1]), new Float32Array([0, 0]), { rows: 1, d: 2, eps: 0 });
    expect(Array.from(ln.y)).toEqual([-1, 1]);
    expect(Array.from(ln.mean)).toEqual([2]);
  });
  test("size mismatches are refused with the sizes", () => {
    expect(() => K.add(new Float32Array(3), new Float32Array(4))).toThrow(/second operand has 4 elements, expected 3/);
    expect(() => K.softmaxRows(new Float32Array(5), { rows: 2, cols: 3 })).toThrow(/x has 5 elements, expected 6/);
    expect(() => K.layerNorm(new Float32Array(6), new Float32Array(4), new Float32Array(4), { rows: 2, d: 3, eps: 1e-5 }))
      .toThrow(/gamma has 4 elements/);
    expect(() => K.adamw(new Float32Array(2), new Float32Array(2), new Float32Array(2), new Float32Array(2),
      { lr: 1, beta1: 0.9, beta2: 0.9, eps: 1e-8, weightDecay: 0, step: 0 })).toThrow(/step must be an integer >= 1/);
  });
});

describe("public API", () => {
  test("the exported kernel names are stable (a change here is an API change for ML-ENGINE and VERDE)", () => {
    expect(Object.keys(K).sort()).toEqual([
      "adamw", "add", "addBias", "axpy", "div", "gelu", "geluGrad", "layerNorm", "layerNormGrad", "logSoftmaxRows",
      "matmul", "mul", "relu", "reluGrad", "scale", "softmaxRows", "softmaxRowsGrad", "sub", "sumCols", "sumRows",
    ]);
  });
});
