// The repops backend: bitwise-reproducible execution of every IR op (REFERENCE §2). Fixed
// reduction order, float32 rounding at each stored value, software exp/log/tanh (repops/math32),
// no dependence on the replica count: bit-identical on Bun and Node, across runs, and between
// batched and unbatched replicas. Values stay resident in the RepOps wasm memory between ops
// (RepopsValue): upload copies in, download copies out, the ops in between copy nothing. They are
// never mutated and must be disposed (executeGraph does): wasm memory is not garbage-collected.
import { ConfigError } from "../../errors.ts";
import type { Backend } from "../backend.ts";
import type { GraphNode } from "../graph.ts";
import { matmulDims } from "../opDefs.ts";
import { beginKernelCall, repopsArena } from "../repops/repopsWasm.ts";
import { type Shape, sizeOf } from "../tensor.ts";
import * as L from "./repopsLoops.ts";
import { binaryScalar, broadcastScalar, sumScalar, transposeScalar } from "./scalarKernels.ts";

const fr = Math.fround;
const last = (s: Shape) => (s.length ? s[s.length - 1] : 1);

/** One resident block, shared by the values that alias it (reshape); freed when the last is disposed. */
interface Block { readonly ptr: number; readonly floats: number; refs: number }

/** A float32 value in wasm memory, replica dimension first. */
export class RepopsValue {
  readonly length: number;
  private block: Block | null;

  constructor(length: number, block?: Block) {
    this.length = length;
    if (block) block.refs++;
    // (one float at least: a zero-length block would sit in the arena's free list as an empty entry)
    this.block = block ?? { ptr: repopsArena().allocResident(Math.max(length, 1)), floats: Math.max(length, 1), refs: 1 };
  }

  get ptr(): number {
    if (!this.block) throw new ConfigError("repops: value used after dispose");
    return this.block.ptr;
  }

  /** Another value over the same storage (reshape). */
  alias(): RepopsValue {
    return new RepopsValue(this.length, this.block ?? undefined);
  }

  /** A view of the values in wasm memory: valid until the next allocation (memory may grow). */
  view(): Float32Array {
    const o = this.ptr >>> 2;
    return repopsArena().f32().subarray(o, o + this.length);
  }

  /** The same storage as float32 bits (valid like view()). */
  bits(): Int32Array {
    return new Int32Array(repopsArena().exports.memory.buffer, this.ptr, this.length);
  }

  dispose(): void {
    const b = this.block;
    if (!b) throw new ConfigError("repops: value disposed twice");
    this.block = null;
    if (--b.refs === 0) repopsArena().freeResident(b.ptr, b.floats);
  }
}

/** Stride between batch entries of an operand holding one entry (shared: 0) or `batch` entries. */
function stride(what: string, x: RepopsValue, one: number, batch: number): number {
  if (x.length === one) return 0;
  if (x.length !== one * batch) throw new ConfigError(`repops: ${what} has ${x.length} values, expected ${one} or ${one * batch}`);
  return one;
}

const BINARY = { add: 0, sub: 1, mul: 2 } as const;

/** Runs `node` into the fresh block `out` (inputs resident, same order as node.inputs). */
function run(node: GraphNode, shapes: readonly Shape[], x: readonly RepopsValue[], R: number, out: RepopsValue): void {
  const a = node.attrs;
  const n = out.length;
  switch (node.op) {
    case "fill":
      out.view().fill(fr(a.value as number));
      return;
    case "matmul": {
      // ML-KERNELS' WebAssembly SIMD matmul: same order as matmulScalar (acc = +0, k ascending, no FMA).
      const { batch, m, k, n: cols } = matmulDims(shapes[0], shapes[1], a);
      const B = batch * R;
      const sa = stride("matmul a", x[0], m * k, B), sb = stride("matmul b", x[1], k * cols, B);
      const w = beginKernelCall();
      const work = w.alloc(w.exports.matmulWorkFloats(m, k, cols));
      w.exports.matmul(x[0].ptr, x[1].ptr, out.ptr, m, k, cols, B, sa, sb, a.transA ? 1 : 0, a.transB ? 1 : 0, work);
      return;
    }
    case "add":
    case "sub":
    case "mul": {
      const k = repopsArena().exports;
      if (x[0].length === x[1].length) return k.binary(BINARY[node.op], x[0].ptr, x[1].ptr, out.ptr, n);
      const cols = x[1].length / R;
      if (node.op === "add") return k.addBias(x[0].ptr, x[1].ptr, out.ptr, R, n / R / cols, cols, R === 1 ? 0 : cols);
      out.view().set(binaryScalar(x[0].view(), x[1].view(), R, node.op));
      return;
    }
    case "scale":
      return repopsArena().exports.scale(x[0].ptr, a.s as number, out.ptr, n);
    // ReLU as branch-free integer masks on the float bits (x > 0 ? x : +0, exactly ML-KERNELS'
    // formula): its wasm loop branches on each sign and ran 4-5x slower on activations.
    case "relu":
      return L.reluBits(x[0].bits(), out.bits());
    case "reluGrad":
      return L.reluGradBits(x[1].bits(), x[0].bits(), out.bits());
    case "gelu":
      return repopsArena().exports.gelu(x[0].ptr, out.ptr, n);
    case "geluGrad":
      return repopsArena().exports.geluGrad(x[1].ptr, x[0].ptr, out.ptr, n);
    // LayerNorm via ML-KERNELS' wasm kernels (orders documented in repops/kernels.ts; lnNormalize
    // is layerNorm with gamma = 1, beta = 0, so it equals the forward pass's xhat exactly).
    case "layernorm":
    case "lnNormalize": {
      const d = last(shapes[0]), rows = n / R / d;
      const w = beginKernelCall();
      const mean = w.alloc(R * rows), rstd = w.alloc(R * rows);
      let g: number, b: number, ps: number;
      if (node.op === "layernorm") [g, b, ps] = [x[1].ptr, x[2].ptr, stride("layernorm gamma", x[1], d, R)];
      else [g, b, ps] = [w.put(new Float32Array(d).fill(1)), w.put(new Float32Array(d)), 0];
      w.exports.layerNorm(x[0].ptr, g, b, out.ptr, mean, rstd, R, rows, d, ps, a.eps as number);
      return;
    }
    case "layernormGradX": {
      const d = last(shapes[1]), rows = n / R / d;
      const w = beginKernelCall();
      const mean = w.alloc(R * rows), rstd = w.alloc(R * rows), xhat = w.alloc(n);
      const ones = w.put(new Float32Array(d).fill(1)), zeros = w.put(new Float32Array(d));
      w.exports.layerNorm(x[1].ptr, ones, zeros, xhat, mean, rstd, R, rows, d, 0, a.eps as number);
      const ps = stride("layernormGradX gamma", x[2], d, R);
      const dg = w.alloc(x[2].length), db = w.alloc(x[2].length);
      w.exports.layerNormGrad(x[0].ptr, x[1].ptr, x[2].ptr, mean, rstd, out.ptr, dg, db, R, rows, d, ps);
      return;
    }
    case "softmaxGrad": {
      // ML-KERNELS' softmaxRowsGrad: s = sum(dy * y) from column 0, out = y * (dy - s), as the scalar loop did.
      const c = last(shapes[0]);
      return repopsArena().exports.softmaxRowsGrad(x[1].ptr, x[0].ptr, out.ptr, n / c, c);
    }
    case "softmaxXent": {
      const c = last(shapes[0]);
      const w = beginKernelCall();
      const ls = w.alloc(x[0].length);
      w.exports.logSoftmaxRows(x[0].ptr, ls, n, c);
      const o = ls >>> 2;
      return L.softmaxXentFromLogSoftmax(x[0].view(), w.f32().subarray(o, o + x[0].length), x[1].view(), c, out.view());
    }
    case "softmaxXentGrad": {
      const c = last(shapes[1]);
      repopsArena().exports.softmaxRows(x[1].ptr, out.ptr, n / c, c);
      return L.softmaxXentGradFromSoftmax(x[0].view(), x[2].view(), c, out.view());
    }
    case "causalSoftmax": {
      // Row i of each [T, T] block: softmax over its first i + 1 entries (ML-KERNELS' softmaxRows), 0 after.
      const t = last(shapes[0]);
      out.view().fill(0);
      const k = repopsArena().exports;
      for (let row = 0, px = x[0].ptr, po = out.ptr; row < n / t; row++, px += 4 * t, po += 4 * t) k.softmaxRows(px, po, 1, (row % t) + 1);
      return;
    }
    case "sumLeading": {
      const cols = sizeOf(node.shape);
      return repopsArena().exports.sumCols(x[0].ptr, out.ptr, R, x[0].length / R / cols, cols);
    }
  }
  // The rest run as TypeScript loops over views of the resident blocks (no allocation in between).
  const v = x.map((t) => t.view());
  const o = out.view();
  switch (node.op) {
    case "embedding":
      return L.embedding(v[0], v[1], shapes[0][0], shapes[0][1], R, o);
    case "embeddingGrad":
      return L.embeddingGrad(v[0], v[1], a.vocab as number, last(shapes[0]), R, o);
    case "transpose":
      return o.set(transposeScalar(v[0], shapes[0], a.perm as readonly number[], R));
    case "sumAll":
      return o.set(sumScalar(v[0], R));
    case "meanAll": {
      const size = sizeOf(shapes[0]);
      const s = sumScalar(v[0], R);
      for (let r = 0; r < R; r++) o[r] = s[r] / size;
      return;
    }
    case "broadcast":
      return o.set(broadcastScalar(v[0], sizeOf(shapes[0]), sizeOf(node.shape) / sizeOf(shapes[0]), R));
    case "adamM":
      return L.adamM(v[0], v[1], a.beta1 as number, o);
    case "adamV":
      return L.adamV(v[0], v[1], a.beta2 as number, o);
    case "adamwParam":
      return L.adamwParam(v[0], v[1], v[2], v[3], a.eps as number, a.weightDecay as number, R, o);
    case "nesterovBuf":
      return L.nesterovBuf(v[0], v[1], a.momentum as number, o);
    case "nesterovParam":
      return L.nesterovParam(v[0], v[1], v[2], v[3], a.momentum as number, R, o);
    case "clipCoef":
      return L.clipCoef(v[0], a.maxNorm as number, o);
    case "grpoCoef":
      return L.grpoCoef(v[0], v[1], v[2], a.low as number, a.high as number, o);
    default:
      throw new ConfigError(`repops: op ${node.op} (node ${node.id}) is not executable`);
  }
}

function exec(node: GraphNode, shapes: readonly Shape[], x: readonly RepopsValue[], R: number): RepopsValue {
  if (node.op === "reshape") return x[0].alias();
  const out = new RepopsValue(R * sizeOf(node.shape));
  try {
    run(node, shapes, x, R, out);
  } catch (e) {
    out.dispose();
    throw e;
  }
  return out;
}

export const repopsBackend: Backend<RepopsValue> = {
  name: "repops",
  reproducible: true,
  upload(data) {
    const v = new RepopsValue(data.length);
    v.view().set(data);
    return v;
  },
  download(value) {
    const out = new Float32Array(value.length);
    out.set(value.view());
    return out;
  },
  exec,
  dispose: (value) => value.dispose(),
};
