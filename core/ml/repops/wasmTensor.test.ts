// Resident tensors: kernels on WasmTensors give the same bits as on Float32Arrays, memory is reused,
// scratch never clobbers resident data, and misuse (use after free, aliasing) is refused.
import { describe, expect, test } from "bun:test";
import { Rng } from "../../des/rng.ts";
import * as K from "./kernels.ts";
import { repopsArena } from "./repopsWasm.ts";
import { WasmTensor } from "./wasmTensor.ts";

function rand(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
}
const bits = (t: Float32Array) => Array.from(new Uint32Array(t.buffer, t.byteOffset, t.length));

describe("WasmTensor", () => {
  test("round-trips data and zeros", () => {
    const t = WasmTensor.from(new Float32Array([1.5, -2, 3]));
    expect(Array.from(t.read())).toEqual([1.5, -2, 3]);
    const z = WasmTensor.zeros(5);
    expect(Array.from(z.read())).toEqual([0, 0, 0, 0, 0]);
    t.free();
    z.free();
  });
  test("freed blocks are reused and coalesced; use after free and double free throw", () => {
    const arena = repopsArena();
    const before = arena.residentBytes();
    const a = WasmTensor.zeros(100), b = WasmTensor.zeros(100), c = WasmTensor.zeros(100);
    expect(arena.residentBytes() - before).toBe(3 * 400);
    const aPtr = a.ptr;
    a.free();
    b.free();
    const d = WasmTensor.zeros(200); // fits the coalesced hole left by a and b (first fit: there or lower)
    expect(d.ptr).toBeLessThanOrEqual(aPtr);
    expect(() => a.read()).toThrow(/used after free/);
    expect(() => a.free()).toThrow(/used after free/);
    c.free();
    d.free();
    expect(arena.residentBytes()).toBe(before);
  });
  test("kernel scratch above the resident region leaves resident data intact", () => {
    const rng = new Rng("resident-scratch");
    const keep = rand(rng, 1000);
    const t = WasmTensor.from(keep);
    const big = rand(rng, 300 * 300);
    K.matmul(big, big, { m: 300, k: 300, n: 300 }); // large scratch use
    expect(bits(t.read())).toEqual(bits(keep));
    const later = WasmTensor.from(rand(rng, 5000)); // allocated where scratch was
    expect(bits(t.read())).toEqual(bits(keep));
    t.free();
    later.free();
  });
});

describe("kernels on resident operands", () => {
  test("an MLP layer forward and backward chain gives the same bits resident and copied", () => {
    const rng = new Rng("resident-chain");
    const [batch, m, k, n] = [3, 5, 19, 18];
    const x = rand(rng, batch * m * k), w = rand(rng, batch * k * n), bias = rand(rng, batch * n), dy = rand(rng, batch * m * n);
    // copied
    const h = K.matmul(x, w, { m, k, n, batch });
    const z = K.addBias(h, bias, { batch, rows: m, cols: n });
    const y = K.gelu(z);
    const dz = K.geluGrad(z, dy);
    const dw = K.matmul(x, dz, { m: k, k: m, n, batch, transA: true });
    const db = K.sumCols(dz, { batch, rows: m, cols: n });
    const sm = K.softmaxRows(y, { rows: batch * m, cols: n });
    const upd = K.axpy(-0.1, dw, w);
    // resident
    const [X, W, B, DY] = [x, w, bias, dy].map((t) => WasmTensor.from(t));
    const H = WasmTensor.zeros(h.length), DZ = WasmTensor.zeros(h.length), DW = WasmTensor.zeros(w.length), DB = WasmTensor.zeros(db.length);
    const Y = WasmTensor.zeros(h.length);
    expect(K.matmul(X, W, { m, k, n, batch, out: H })).toBe(H);
    K.addBias(H, B, { batch, rows: m, cols: n, out: H }); // in place
    K.geluGrad(H, DY, DZ);
    K.gelu(H, Y);
    K.matmul(X, DZ, { m: k, k: m, n, batch, transA: true, out: DW });
    K.sumCols(DZ, { batch, rows: m, cols: n, out: DB });
    K.axpy(-0.1, DW, W, W); // in place update
    expect(bits(Y.read())).toEqual(bits(y));
    expect(bits(DZ.read())).toEqual(bits(dz));
    expect(bits(DW.read())).toEqual(bits(dw));
    expect(bits(DB.read())).toEqual(bits(db));
    expect(bits(W.read())).toEqual(bits(upd));
    expect(bits(K.softmaxRows(Y, { rows: batch * m, cols: n }))).toEqual(bits(sm)); // resident in, array out
    K.softmaxRows(Y, { rows: batch * m, cols: n, out: Y }); // in place
    expect(bits(Y.read())).toEqual(bits(sm));
    for (const t of [X, W, B, DY, H, DZ, DW, DB, Y]) t.free();
  });
  test("AdamW state kept resident over steps and layer norm on resident inputs match the copied path", () => {
    const rng = new Rng("resident-adamw");
    const n = 37;
    const p = rand(rng, n), g = rand(rng, n), m = new Float32Array(n), v = new Float32Array(n);
    const [P, G, M, V] = [p, g, m, v].map((t) => WasmTensor.from(t));
    for (let step = 1; step <= 3; step++) {
      const opts = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step };
      K.adamw(p, g, m, v, opts);
      K.adamw(P, G, M, V, opts);
    }
    expect(bits(P.read())).toEqual(bits(p));
    expect(bits(M.read())).toEqual(bits(m));
    expect(bits(V.read())).toEqual(bits(v));
    expect(() => K.adamw(P, G, M, M, { lr: 1, beta1: 0.9, beta2: 0.9, eps: 1e-8, weightDecay: 0, step: 1 })).toThrow(/same WasmTensor/);
    const x = rand(rng, 2 * 3 * 7), gamma = rand(rng, 7), beta = rand(rng, 7), dy = rand(rng, x.length);
    const dims = { batch: 2, rows: 3, d: 7, eps: 1e-5 };
    const ln = K.layerNorm(x, gamma, beta, dims);
    const [X, GA, BE, DY] = [x, gamma, beta, dy].map((t) => WasmTensor.from(t));
    const lnR = K.layerNorm(X, GA, BE, dims);
    expect(bits(lnR.y)).toEqual(bits(ln.y));
    const gr = K.layerNormGrad(dy, x, gamma, ln.mean, ln.rstd, dims);
    const [MEAN, RSTD] = [WasmTensor.from(ln.mean), WasmTensor.from(ln.rstd)];
    const grR = K.layerNormGrad(DY, X, GA, MEAN, RSTD, dims);
    expect(bits(grR.dx)).toEqual(bits(gr.dx));
    expect(bits(grR.dgamma)).toEqual(bits(gr.dgamma));
    for (const t of [P, G, M, V, X, GA, BE, DY, MEAN, RSTD]) t.free();
  });
  test("aliasing that would corrupt a result is refused", () => {
    const a = WasmTensor.zeros(4), b = WasmTensor.zeros(4);
    expect(() => K.matmul(a, b, { m: 2, k: 2, n: 2, out: a })).toThrow(/out must not be the same WasmTensor as a/);
    expect(() => K.sumCols(a, { rows: 2, cols: 2, out: a })).toThrow(/same WasmTensor as x/);
    expect(() => K.addBias(a, b, { rows: 1, cols: 4, out: b })).toThrow(/same WasmTensor as bias/);
    const short = WasmTensor.zeros(3);
    expect(() => K.gelu(a, short)).toThrow(/out has 3 elements, expected 4/);
    for (const t of [a, b, short]) t.free();
  });
});
