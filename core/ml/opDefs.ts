// The op set of the core/ml graph IR: per op, shape inference and FLOP count (DESIGN: Learning).
// Shapes here are per replica; backends run every op over a leading replica dimension.
import { ConfigError } from "../errors.ts";
import { type Shape, isSuffix, shapeEq, shapeStr, sizeOf } from "./tensor.ts";

export type OpName =
  | "input" | "fill"
  | "matmul" | "add" | "sub" | "mul" | "scale"
  | "relu" | "reluGrad" | "gelu" | "geluGrad"
  | "layernorm" | "lnNormalize" | "layernormGradX"
  | "softmaxXent" | "softmaxXentGrad"
  | "embedding" | "embeddingGrad"
  | "causalSoftmax" | "softmaxGrad"
  | "reshape" | "transpose"
  | "sumAll" | "meanAll" | "sumLeading" | "broadcast"
  | "adamM" | "adamV" | "adamwParam" | "nesterovBuf" | "nesterovParam"
  | "clipCoef" | "grpoCoef";

export type AttrValue = number | boolean | string | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface OpDef {
  /** Number of inputs the op takes. */
  arity: number;
  /** Output shape from input shapes and attrs; throws ConfigError on a mismatch. */
  shape(ins: readonly Shape[], attrs: Attrs): Shape;
  /** Floating-point operations for one replica (multiply-add = 2). */
  flops(ins: readonly Shape[], out: Shape, attrs: Attrs): number;
}

function fail(op: string, ins: readonly Shape[], why: string): never {
  throw new ConfigError(`op ${op}: ${why} (input shapes ${ins.map(shapeStr).join(" ")})`);
}
const same = (op: string, perElem: number): OpDef => ({
  arity: 1,
  shape: (ins) => ins[0],
  flops: (_i, out) => perElem * sizeOf(out),
});
const sameAs2 = (op: string, perElem: number): OpDef => ({
  arity: 2,
  shape: (ins) => (shapeEq(ins[0], ins[1]) ? ins[0] : fail(op, ins, "inputs must have equal shapes")),
  flops: (_i, out) => perElem * sizeOf(out),
});
const broadcastBinary = (op: string): OpDef => ({
  arity: 2,
  shape: (ins) => (isSuffix(ins[0], ins[1]) ? ins[0] : fail(op, ins, "second input's shape must be a suffix of the first's")),
  flops: (_i, out) => sizeOf(out),
});
const lastDim = (s: Shape) => s[s.length - 1];

/** Matmul dims: batch (product of leading dims), M, K, N. */
export function matmulDims(a: Shape, b: Shape, attrs: Attrs): { batch: number; m: number; k: number; n: number } {
  const r = a.length;
  const m = attrs.transA ? a[r - 1] : a[r - 2];
  const k = attrs.transA ? a[r - 2] : a[r - 1];
  const kb = attrs.transB ? b[r - 1] : b[r - 2];
  const n = attrs.transB ? b[r - 2] : b[r - 1];
  return { batch: sizeOf(a.slice(0, r - 2)), m, k: k === kb ? k : NaN, n };
}

const optimizerUpdate = (op: string, arity: number, perElem: number): OpDef => ({
  arity,
  shape: (ins) => {
    for (let i = 1; i < arity; i++) {
      const hyper = (op === "adamwParam" && i === 3) || (op === "nesterovParam" && i === 3);
      if (!hyper && !shapeEq(ins[i], ins[0])) fail(op, ins, "state and gradient shapes must equal the parameter's");
    }
    return ins[0];
  },
  flops: (_i, out) => perElem * sizeOf(out),
});

export const OPS: Readonly<Record<OpName, OpDef>> = {
  input: { arity: 0, shape: () => [], flops: () => 0 },
  fill: { arity: 0, shape: (_i, attrs) => (attrs.shape as Shape) ?? [], flops: () => 0 },
  matmul: {
    arity: 2,
    shape(ins, attrs) {
      const [a, b] = ins;
      if (a.length < 2 || a.length !== b.length) fail("matmul", ins, "inputs need equal rank >= 2");
      if (!shapeEq(a.slice(0, -2), b.slice(0, -2))) fail("matmul", ins, "batch dimensions differ");
      const { m, k, n } = matmulDims(a, b, attrs);
      if (Number.isNaN(k)) fail("matmul", ins, `inner dimensions differ (transA=${!!attrs.transA}, transB=${!!attrs.transB})`);
      return [...a.slice(0, -2), m, n];
    },
    flops(ins, _out, attrs) {
      const { batch, m, k, n } = matmulDims(ins[0], ins[1], attrs);
      return 2 * batch * m * k * n;
    },
  },
  add: broadcastBinary("add"),
  sub: broadcastBinary("sub"),
  mul: broadcastBinary("mul"),
  scale: same("scale", 1),
  relu: same("relu", 1),
  reluGrad: sameAs2("reluGrad", 1),
  gelu: same("gelu", 12),
  geluGrad: sameAs2("geluGrad", 20),
  layernorm: {
    arity: 3,
    shape(ins) {
      const d = lastDim(ins[0]);
      if (!shapeEq(ins[1], [d]) || !shapeEq(ins[2], [d])) fail("layernorm", ins, "gamma and beta must have shape [lastDim]");
      return ins[0];
    },
    flops: (_i, out) => 8 * sizeOf(out),
  },
  lnNormalize: same("lnNormalize", 6),
  layernormGradX: {
    arity: 3,
    shape(ins) {
      if (!shapeEq(ins[0], ins[1]) || !shapeEq(ins[2], [lastDim(ins[1])])) fail("layernormGradX", ins, "expects (g, x, gamma[lastDim])");
      return ins[0];
    },
    flops: (_i, out) => 14 * sizeOf(out),
  },
  softmaxXent: {
    arity: 2,
    shape(ins) {
      if (ins[0].length < 1 || !shapeEq(ins[0].slice(0, -1), ins[1])) fail("softmaxXent", ins, "targets must have the logits' shape without the class dim");
      return ins[1];
    },
    flops: (ins) => 5 * sizeOf(ins[0]),
  },
  softmaxXentGrad: {
    arity: 3,
    shape(ins) {
      if (!shapeEq(ins[0], ins[2]) || !shapeEq(ins[1].slice(0, -1), ins[2])) fail("softmaxXentGrad", ins, "expects (g[rows], logits[rows,C], targets[rows])");
      return ins[1];
    },
    flops: (ins) => 5 * sizeOf(ins[1]),
  },
  embedding: {
    arity: 2,
    shape(ins) {
      if (ins[0].length !== 2) fail("embedding", ins, "table must be [vocab, dim]");
      return [...ins[1], ins[0][1]];
    },
    flops: () => 0,
  },
  embeddingGrad: {
    arity: 2,
    shape(ins, attrs) {
      if (!shapeEq(ins[0].slice(0, -1), ins[1])) fail("embeddingGrad", ins, "expects (g[...ids, dim], ids)");
      if (typeof attrs.vocab !== "number") fail("embeddingGrad", ins, "needs attr vocab");
      return [attrs.vocab as number, lastDim(ins[0])];
    },
    flops: (ins) => sizeOf(ins[0]),
  },
  causalSoftmax: {
    arity: 1,
    shape(ins) {
      const s = ins[0];
      if (s.length < 2 || s[s.length - 1] !== s[s.length - 2]) fail("causalSoftmax", ins, "expects [..., T, T]");
      return s;
    },
    flops: (ins) => 4 * sizeOf(ins[0]),
  },
  softmaxGrad: sameAs2("softmaxGrad", 4),
  reshape: {
    arity: 1,
    shape(ins, attrs) {
      const to = attrs.shape as Shape;
      if (!Array.isArray(to) || sizeOf(to) !== sizeOf(ins[0])) fail("reshape", ins, `cannot reshape to ${String(to)}`);
      return to;
    },
    flops: () => 0,
  },
  transpose: {
    arity: 1,
    shape(ins, attrs) {
      const perm = attrs.perm as readonly number[];
      const s = ins[0];
      const ok = Array.isArray(perm) && perm.length === s.length && [...perm].sort((x, y) => x - y).every((p, i) => p === i);
      if (!ok) fail("transpose", ins, `bad perm ${String(perm)}`);
      return perm.map((p) => s[p]);
    },
    flops: () => 0,
  },
  sumAll: { arity: 1, shape: () => [], flops: (ins) => sizeOf(ins[0]) },
  meanAll: { arity: 1, shape: () => [], flops: (ins) => sizeOf(ins[0]) + 1 },
  sumLeading: {
    arity: 1,
    shape(ins, attrs) {
      const to = attrs.shape as Shape;
      if (!Array.isArray(to) || !isSuffix(ins[0], to)) fail("sumLeading", ins, `target ${String(to)} must be a suffix`);
      return to;
    },
    flops: (ins) => sizeOf(ins[0]),
  },
  broadcast: {
    arity: 1,
    shape(ins, attrs) {
      const to = attrs.shape as Shape;
      if (!Array.isArray(to) || !isSuffix(to, ins[0])) fail("broadcast", ins, `input must be a suffix of ${String(to)}`);
      return to;
    },
    flops: () => 0,
  },
  adamM: optimizerUpdate("adamM", 2, 3),
  adamV: optimizerUpdate("adamV", 2, 4),
  adamwParam: optimizerUpdate("adamwParam", 4, 8),
  nesterovBuf: optimizerUpdate("nesterovBuf", 2, 2),
  nesterovParam: optimizerUpdate("nesterovParam", 4, 5),
  /**
   * Gradient-norm clipping coefficient from the sum of squared gradients s (a scalar per replica):
   * min(1, maxNorm / (sqrt(s) + 1e-6)), torch.nn.utils.clip_grad_norm_'s clip_coef clamped at 1.
   */
  clipCoef: {
    arity: 1,
    shape(ins, attrs) {
      if (ins[0].length !== 0) fail("clipCoef", ins, "expects a scalar sum of squares");
      if (typeof attrs.maxNorm !== "number" || !(attrs.maxNorm > 0)) fail("clipCoef", ins, `needs attr maxNorm > 0, got ${String(attrs.maxNorm)}`);
      return [];
    },
    flops: () => 4,
  },
  /**
   * GRPO's clipped-surrogate coefficient per token (REFERENCE §7), inputs xent (= -log p under the
   * policy being trained), the sampling policy's log p and the advantage A, all one shape:
   * ratio = exp(log p - old log p); A * ratio where min(ratio * A, clip(ratio, 1 - low, 1 + high) * A)
   * takes the unclipped term, else 0. A stop-gradient: autodiff passes nothing through it, so
   * mean(coef * xent * w) has the clipped surrogate's gradient.
   */
  grpoCoef: {
    arity: 3,
    shape(ins, attrs) {
      if (!shapeEq(ins[0], ins[1]) || !shapeEq(ins[0], ins[2])) fail("grpoCoef", ins, "xent, old log p and advantage must have equal shapes");
      for (const k of ["low", "high"]) if (typeof attrs[k] !== "number" || !((attrs[k] as number) >= 0)) fail("grpoCoef", ins, `needs attr ${k} >= 0, got ${String(attrs[k])}`);
      return ins[0];
    },
    flops: (_i, out) => 8 * sizeOf(out),
  },
};
