// RepOps public kernels: bitwise-reproducible float32 tensor ops on WebAssembly SIMD (REFERENCE §2).
//
// Every function takes and returns plain Float32Arrays (row-major); pointers and wasm memory are
// internal. Results are bit-identical to the scalar TypeScript reference (reference.ts), across
// Bun and Node, across runs, and between batched and unbatched calls (batch entries are computed
// independently with the same code). Shapes are checked; a wrong size throws RepOpsError.
// Caveat: WebAssembly leaves the sign/payload of a NaN *produced* by arithmetic to the engine, so
// tensors holding NaN may differ in those bits between engines; every non-NaN value is exact.
// Cost: Float32Array inputs are copied into wasm memory and results out (~5-8% of a 512^3 matmul,
// 1.5-3.4x on replica-batched small matmuls, dominant for cheap elementwise ops); WasmTensor
// operands skip those copies. Figures: bench/ml-kernels.ts.
//
// Summation orders (the contract that makes results reproducible):
//   matmul       C[i,j] = ((0 + a[i,0]b[0,j]) + a[i,1]b[1,j]) + ... , one float32 rounding per multiply
//                and per add, no FMA. transA: A is stored [k, m]; transB: B is stored [n, k].
//   sumRows      over columns from 0 upward; sumCols over rows from 0 upward.
//   softmaxRows  m = running max from column 0; e = exp32(x - m); sum from column 0; out = e / sum.
//   layerNorm    mean = sum/d; var = sum((x-mean)^2)/d; rstd = f32(1/sqrt(var+eps)); y = xhat*gamma+beta.
//   gelu         tanh form (math32.ts gelu32), float64 inside, one rounding; geluGrad = dy * gelu'(x).
//                (gelu, geluGrad and the softmax exponentials run two float64 lanes at a time in wasm with
//                the very same operations per lane: same bits as math32.ts.)
//   adamw        decoupled decay p -= lr*wd*p, then m, v, bias-corrected step (reference.ts adamwRef).
// Batch ("replica") dimension first: matmul's a/b/out are [batch, ...]; an operand of one entry's size
// is broadcast to every batch entry (shared weights). layerNorm's and addBias's parameters likewise.
//
// Operands may be Float32Arrays (copied in) or WasmTensors (wasmTensor.ts: resident, used in place);
// with a WasmTensor `out` the result stays resident and that tensor is returned. Resident operands
// are accepted everywhere; layerNorm/layerNormGrad return Float32Arrays; adamw updates in place.
// API (all return new arrays unless `out` is given; `out` may alias an input for elementwise ops):
//   matmul(a, b, {m, k, n, batch?, transA?, transB?, out?})          -> [batch, m, n]
//   add / sub / mul / div(a, b, out?)   scale(x, s, out?)   axpy(alpha, x, y, out?) = y + alpha*x
//   addBias(x, bias, {batch?, rows, cols, out?})                      -> x + bias per row
//   relu(x, out?)  reluGrad(x, dy, out?)  gelu(x, out?)  geluGrad(x, dy, out?)
//   softmaxRows / logSoftmaxRows(x, {rows, cols, out?})  softmaxRowsGrad(y, dy, {rows, cols, out?})
//   sumRows(x, {rows, cols, out?}) -> [rows]     sumCols(x, {batch?, rows, cols, out?}) -> [batch, cols]
//   layerNorm(x, gamma, beta, {batch?, rows, d, eps}) -> {y, mean, rstd}   (rows per batch entry)
//   layerNormGrad(dy, x, gamma, mean, rstd, {batch?, rows, d}) -> {dx, dgamma, dbeta}
//   adamw(p, g, m, v, {lr, beta1, beta2, eps, weightDecay, step})   updates p, m, v in place
import { adamwScalars, type AdamWOptions, type LayerNormDims } from "./reference.ts";
import { expectDims, expectLength, RepOpsError } from "./repopsError.ts";
import { type Arena, beginKernelCall, type KernelExports } from "./repopsWasm.ts";
import { WasmTensor } from "./wasmTensor.ts";

/** An operand: a plain array (copied in) or a tensor resident in wasm memory (used in place). */
export type Operand = Float32Array | WasmTensor;
/** What a kernel returns: a WasmTensor when `out` is one, else a Float32Array. */
export type Result<O> = O extends WasmTensor ? WasmTensor : Float32Array;
type Out = Float32Array | WasmTensor | undefined;

const input = (w: Arena, x: Operand): number => (x instanceof WasmTensor ? x.ptr : w.put(x));
const output = (w: Arena, n: number, out: Out): number => (out instanceof WasmTensor ? out.ptr : w.alloc(n));
function finish<O extends Out>(w: Arena, ptr: number, n: number, out: O): Result<O> {
  return (out instanceof WasmTensor ? out : w.take(ptr, n, out as Float32Array | undefined)) as Result<O>;
}
/** Kernels that read an input after writing part of the output refuse a resident `out` that is that input. */
function notAliased(op: string, out: Out, inputs: Record<string, Operand>): void {
  for (const [name, x] of Object.entries(inputs)) {
    if (out instanceof WasmTensor && out === x) throw new RepOpsError(`${op}: out must not be the same WasmTensor as ${name}`);
  }
}

export interface MatmulOptions<O extends Out = Out> {
  m: number; k: number; n: number; batch?: number; transA?: boolean; transB?: boolean; out?: O;
}

function batchStride(op: string, what: string, data: Operand, one: number, batch: number, shape: string): number {
  if (data.length === one) return 0;
  expectLength(op, what, data, batch * one, shape);
  return one;
}

/** op(A) . op(B) per batch entry, fixed order (header). */
export function matmul<O extends Out = undefined>(a: Operand, b: Operand, o: MatmulOptions<O>): Result<O> {
  const { m, k, n } = o;
  const batch = o.batch ?? 1;
  expectDims("matmul", { m, k, n, batch });
  const sa = batchStride("matmul", "a", a, m * k, batch, `[${batch}, ${o.transA ? `${k}, ${m}` : `${m}, ${k}`}]`);
  const sb = batchStride("matmul", "b", b, k * n, batch, `[${batch}, ${o.transB ? `${n}, ${k}` : `${k}, ${n}`}]`);
  if (o.out) expectLength("matmul", "out", o.out, batch * m * n, `[${batch}, ${m}, ${n}]`);
  notAliased("matmul", o.out, { a, b });
  const w = beginKernelCall();
  const pa = input(w, a), pb = input(w, b), pc = output(w, batch * m * n, o.out);
  const work = w.alloc(w.exports.matmulWorkFloats(m, k, n));
  w.exports.matmul(pa, pb, pc, m, k, n, batch, sa, sb, o.transA ? 1 : 0, o.transB ? 1 : 0, work);
  return finish(w, pc, batch * m * n, o.out as O);
}

type Run<A extends unknown[]> = (k: KernelExports, ...ptrs: A) => void;

// Elementwise kernels read element i before writing element i, so `out` may be any input.
function unary<O extends Out>(op: string, x: Operand, out: O, run: Run<[number, number, number]>): Result<O> {
  expectLength(op, "x", x, x.length, `[${x.length}]`);
  if (out) expectLength(op, "out", out, x.length, `[${x.length}]`);
  const w = beginKernelCall();
  const px = input(w, x), po = output(w, x.length, out);
  run(w.exports, px, po, x.length);
  return finish(w, po, x.length, out);
}

function pair<O extends Out>(op: string, a: Operand, b: Operand, out: O, run: Run<[number, number, number, number]>): Result<O> {
  expectLength(op, "first operand", a, a.length, `[${a.length}]`);
  expectLength(op, "second operand", b, a.length, `[${a.length}]`);
  if (out) expectLength(op, "out", out, a.length, `[${a.length}]`);
  const w = beginKernelCall();
  const pa = input(w, a), pb = input(w, b), po = output(w, a.length, out);
  run(w.exports, pa, pb, po, a.length);
  return finish(w, po, a.length, out);
}

const binary = (op: string, code: number) => <O extends Out = undefined>(a: Operand, b: Operand, out?: O): Result<O> =>
  pair(op, a, b, out as O, (k, pa, pb, po, n) => k.binary(code, pa, pb, po, n));

export const add = binary("add", 0);
export const sub = binary("sub", 1);
export const mul = binary("mul", 2);
export const div = binary("div", 3);

export function scale<O extends Out = undefined>(x: Operand, s: number, out?: O): Result<O> {
  return unary("scale", x, out as O, (k, px, po, n) => k.scale(px, s, po, n));
}
/** y + alpha * x */
export function axpy<O extends Out = undefined>(alpha: number, x: Operand, y: Operand, out?: O): Result<O> {
  return pair("axpy", x, y, out as O, (k, px, py, po, n) => k.axpy(alpha, px, py, po, n));
}
export function relu<O extends Out = undefined>(x: Operand, out?: O): Result<O> {
  return unary("relu", x, out as O, (k, px, po, n) => k.relu(px, po, n));
}
export function reluGrad<O extends Out = undefined>(x: Operand, dy: Operand, out?: O): Result<O> {
  return pair("reluGrad", x, dy, out as O, (k, px, pd, po, n) => k.reluGrad(px, pd, po, n));
}
export function gelu<O extends Out = undefined>(x: Operand, out?: O): Result<O> {
  return unary("gelu", x, out as O, (k, px, po, n) => k.gelu(px, po, n));
}
export function geluGrad<O extends Out = undefined>(x: Operand, dy: Operand, out?: O): Result<O> {
  return pair("geluGrad", x, dy, out as O, (k, px, pd, po, n) => k.geluGrad(px, pd, po, n));
}

export interface RowsOptions<O extends Out = Out> { rows: number; cols: number; out?: O }

/** Checks x [rows, cols], brings it (and an already checked `second` operand) in, runs, hands `outLen` floats out. */
function rowwise<O extends Out>(op: string, x: Operand, o: RowsOptions<O>, outLen: number, run: Run<[number, number, number]>,
  second?: Operand): Result<O> {
  expectDims(op, { rows: o.rows, cols: o.cols });
  expectLength(op, "x", x, o.rows * o.cols, `[${o.rows}, ${o.cols}]`);
  if (o.out) expectLength(op, "out", o.out, outLen, `[${outLen}]`);
  const w = beginKernelCall();
  const px = input(w, x), p2 = second ? input(w, second) : 0, po = output(w, outLen, o.out);
  run(w.exports, px, po, p2);
  return finish(w, po, outLen, o.out as O);
}

/** Row softmax; `out` may be x (each row's max is taken before it is overwritten). */
export function softmaxRows<O extends Out = undefined>(x: Operand, o: RowsOptions<O>): Result<O> {
  return rowwise("softmaxRows", x, o, x.length, (k, px, po) => k.softmaxRows(px, po, o.rows, o.cols));
}
export function logSoftmaxRows<O extends Out = undefined>(x: Operand, o: RowsOptions<O>): Result<O> {
  notAliased("logSoftmaxRows", o.out, { x }); // the exponentials pass through out before x is read again
  return rowwise("logSoftmaxRows", x, o, x.length, (k, px, po) => k.logSoftmaxRows(px, po, o.rows, o.cols));
}
/** Softmax backward from its output y: y * (dy - sum(dy * y)) per row. */
export function softmaxRowsGrad<O extends Out = undefined>(y: Operand, dy: Operand, o: RowsOptions<O>): Result<O> {
  notAliased("softmaxRowsGrad", o.out, { y, dy });
  expectLength("softmaxRowsGrad", "dy", dy, y.length, `[${o.rows}, ${o.cols}]`);
  return rowwise("softmaxRowsGrad", y, o, y.length, (k, py, po, pd) => k.softmaxRowsGrad(py, pd, po, o.rows, o.cols), dy);
}
export function sumRows<O extends Out = undefined>(x: Operand, o: RowsOptions<O>): Result<O> {
  return rowwise("sumRows", x, o, o.rows, (k, px, po) => k.sumRows(px, po, o.rows, o.cols));
}

export interface BatchRowsOptions<O extends Out = Out> extends RowsOptions<O> { batch?: number }

export function sumCols<O extends Out = undefined>(x: Operand, o: BatchRowsOptions<O>): Result<O> {
  const batch = o.batch ?? 1;
  expectDims("sumCols", { batch });
  notAliased("sumCols", o.out, { x });
  return rowwise("sumCols", x, { rows: batch * o.rows, cols: o.cols, out: o.out }, batch * o.cols,
    (k, px, po) => k.sumCols(px, po, batch, o.rows, o.cols));
}

/** x + bias per row; `out` may be x, not bias. */
export function addBias<O extends Out = undefined>(x: Operand, bias: Operand, o: BatchRowsOptions<O>): Result<O> {
  const batch = o.batch ?? 1;
  expectDims("addBias", { batch });
  notAliased("addBias", o.out, { bias });
  const stride = batchStride("addBias", "bias", bias, o.cols, batch, `[${batch}, ${o.cols}]`);
  return rowwise("addBias", x, { rows: batch * o.rows, cols: o.cols, out: o.out }, x.length,
    (k, px, po, pb) => k.addBias(px, pb, po, batch, o.rows, o.cols, stride), bias);
}

/** Layer norm; operands may be resident, results are Float32Arrays. */
export function layerNorm(x: Operand, gamma: Operand, beta: Operand, o: LayerNormDims) {
  const batch = o.batch ?? 1;
  const { rows, d } = o;
  expectDims("layerNorm", { batch, rows, d });
  expectLength("layerNorm", "x", x, batch * rows * d, `[${batch}, ${rows}, ${d}]`);
  const ps = batchStride("layerNorm", "gamma", gamma, d, batch, `[${batch}, ${d}]`);
  expectLength("layerNorm", "beta", beta, gamma.length, `like gamma [${gamma.length}]`);
  const w = beginKernelCall();
  const px = input(w, x), pg = input(w, gamma), pb = input(w, beta);
  const py = w.alloc(x.length), pm = w.alloc(batch * rows), pr = w.alloc(batch * rows);
  w.exports.layerNorm(px, pg, pb, py, pm, pr, batch, rows, d, ps, o.eps);
  return { y: w.take(py, x.length), mean: w.take(pm, batch * rows), rstd: w.take(pr, batch * rows) };
}

/** Layer norm backward; operands may be resident, results are Float32Arrays. */
export function layerNormGrad(dy: Operand, x: Operand, gamma: Operand, mean: Operand, rstd: Operand, o: Omit<LayerNormDims, "eps">) {
  const batch = o.batch ?? 1;
  const { rows, d } = o;
  expectDims("layerNormGrad", { batch, rows, d });
  const shape = `[${batch}, ${rows}, ${d}]`;
  expectLength("layerNormGrad", "x", x, batch * rows * d, shape);
  expectLength("layerNormGrad", "dy", dy, x.length, shape);
  expectLength("layerNormGrad", "mean", mean, batch * rows, `[${batch}, ${rows}]`);
  expectLength("layerNormGrad", "rstd", rstd, batch * rows, `[${batch}, ${rows}]`);
  const ps = batchStride("layerNormGrad", "gamma", gamma, d, batch, `[${batch}, ${d}]`);
  const w = beginKernelCall();
  const pdy = input(w, dy), px = input(w, x), pg = input(w, gamma), pm = input(w, mean), pr = input(w, rstd);
  const pdx = w.alloc(x.length), pdg = w.alloc(gamma.length), pdb = w.alloc(gamma.length);
  w.exports.layerNormGrad(pdy, px, pg, pm, pr, pdx, pdg, pdb, batch, rows, d, ps);
  return { dx: w.take(pdx, x.length), dgamma: w.take(pdg, gamma.length), dbeta: w.take(pdb, gamma.length) };
}

/**
 * One AdamW step on p (in place), with first/second moments m, v (in place); step counts from 1.
 * Resident (WasmTensor) p, m, v are updated where they live (keep optimizer state resident across
 * steps); Float32Arrays are copied in and back.
 */
export function adamw(p: Operand, g: Operand, m: Operand, v: Operand, o: AdamWOptions): void {
  if (!Number.isSafeInteger(o.step) || o.step < 1) throw new RepOpsError(`adamw: step must be an integer >= 1, got ${o.step}`);
  for (const [what, t] of [["g", g], ["m", m], ["v", v]] as const) expectLength("adamw", what, t, p.length, `[${p.length}]`);
  const operands = { p, g, m, v };
  for (const [name, t] of Object.entries(operands)) notAliased("adamw", t, Object.fromEntries(Object.entries(operands).filter(([n]) => n !== name)));
  const k = adamwScalars(o);
  const w = beginKernelCall();
  const pp = input(w, p), pg = input(w, g), pm = input(w, m), pv = input(w, v);
  w.exports.adamw(pp, pg, pm, pv, p.length, k.lr, k.b1, k.b2, k.c1, k.c2, k.eps, k.lrwd, k.bc1, k.bc2);
  if (p instanceof Float32Array) w.take(pp, p.length, p);
  if (m instanceof Float32Array) w.take(pm, p.length, m);
  if (v instanceof Float32Array) w.take(pv, p.length, v);
}
