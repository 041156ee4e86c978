// A plain float64 evaluator of the forward ops, the yardstick for gradient checks (finite
// differences in float64) and for backend accuracy tests. One replica; naive loops; not fast.
import { tanh } from "../des/math.ts";
import { exp, log } from "../des/math.ts";
import { ConfigError } from "../errors.ts";
import type { Graph } from "./graph.ts";
import { matmulDims } from "./opDefs.ts";
import { type Shape, sizeOf } from "./tensor.ts";

const GELU_C = 0.7978845608028654;

function transpose64(x: Float64Array, shape: Shape, perm: readonly number[]): Float64Array {
  const out = new Float64Array(x.length);
  const rank = shape.length;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) (strides[d] = s), (s *= shape[d]);
  const outShape = perm.map((p) => shape[p]);
  for (let o = 0; o < x.length; o++) {
    let rem = o;
    let src = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const i = rem % outShape[d];
      rem = (rem - i) / outShape[d];
      src += i * strides[perm[d]];
    }
    out[o] = x[src];
  }
  return out;
}

function op64(g: Graph, id: number, v: Float64Array[]): Float64Array {
  const n = g.nodes[id];
  const [x, y] = n.inputs.map((j) => v[j]);
  const sh = n.inputs.map((j) => g.nodes[j].shape);
  const a = n.attrs;
  const size = sizeOf(n.shape);
  const out = new Float64Array(size);
  const last = (s: Shape) => (s.length ? s[s.length - 1] : 1);
  switch (n.op) {
    case "fill":
      return out.fill(a.value as number);
    case "matmul": {
      const { batch, m, k, n: nn } = matmulDims(sh[0], sh[1], a);
      for (let b = 0; b < batch; b++)
        for (let i = 0; i < m; i++)
          for (let j = 0; j < nn; j++) {
            let s = 0;
            for (let kk = 0; kk < k; kk++) {
              const av = x[b * m * k + (a.transA ? kk * m + i : i * k + kk)];
              const bv = y[b * k * nn + (a.transB ? j * k + kk : kk * nn + j)];
              s += av * bv;
            }
            out[b * m * nn + i * nn + j] = s;
          }
      return out;
    }
    case "add":
    case "sub":
    case "mul":
      for (let i = 0; i < size; i++) {
        const bv = y[i % y.length];
        out[i] = n.op === "add" ? x[i] + bv : n.op === "sub" ? x[i] - bv : x[i] * bv;
      }
      return out;
    case "scale":
      return out.map((_, i) => x[i] * (a.s as number));
    case "relu":
      return out.map((_, i) => (x[i] > 0 ? x[i] : 0));
    case "gelu":
      return out.map((_, i) => 0.5 * x[i] * (1 + tanh(GELU_C * (x[i] + 0.044715 * x[i] * x[i] * x[i]))));
    case "layernorm":
    case "lnNormalize": {
      const d = last(sh[0]);
      for (let o = 0; o < size; o += d) {
        let mean = 0;
        for (let j = 0; j < d; j++) mean += x[o + j] / d;
        let vr = 0;
        for (let j = 0; j < d; j++) vr += ((x[o + j] - mean) * (x[o + j] - mean)) / d;
        const rstd = 1 / Math.sqrt(vr + (a.eps as number));
        for (let j = 0; j < d; j++) {
          const xh = (x[o + j] - mean) * rstd;
          out[o + j] = n.op === "layernorm" ? xh * y[j] + v[n.inputs[2]][j] : xh;
        }
      }
      return out;
    }
    case "softmaxXent": {
      const c = last(sh[0]);
      for (let r = 0; r < size; r++) {
        let mx = -Infinity;
        for (let j = 0; j < c; j++) mx = Math.max(mx, x[r * c + j]);
        let s = 0;
        for (let j = 0; j < c; j++) s += exp(x[r * c + j] - mx);
        out[r] = mx + log(s) - x[r * c + y[r]];
      }
      return out;
    }
    case "embedding": {
      const d = sh[0][1];
      for (let p = 0; p < y.length; p++) for (let j = 0; j < d; j++) out[p * d + j] = x[y[p] * d + j];
      return out;
    }
    case "causalSoftmax": {
      const t = last(sh[0]);
      for (let row = 0; row < size / t; row++) {
        const o = row * t;
        const i = row % t;
        let mx = -Infinity;
        for (let j = 0; j <= i; j++) mx = Math.max(mx, x[o + j]);
        let s = 0;
        for (let j = 0; j <= i; j++) s += exp(x[o + j] - mx);
        for (let j = 0; j <= i; j++) out[o + j] = exp(x[o + j] - mx) / s;
      }
      return out;
    }
    case "reshape":
      return Float64Array.from(x);
    case "transpose":
      return transpose64(x, sh[0], a.perm as readonly number[]);
    case "sumAll":
    case "meanAll": {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i];
      out[0] = n.op === "sumAll" ? s : s / x.length;
      return out;
    }
    case "sumLeading":
      for (let i = 0; i < x.length; i++) out[i % size] += x[i];
      return out;
    case "broadcast":
      for (let i = 0; i < size; i++) out[i] = x[i % x.length];
      return out;
    default:
      throw new ConfigError(`reference64: op ${n.op} has no float64 reference`);
  }
}

/** Evaluate nodes 0..upto (inclusive) in float64; inputs are fed by name. Returns all values. */
export function evaluate64(g: Graph, feeds: ReadonlyMap<string, Float64Array>, upto = g.nodes.length - 1): Float64Array[] {
  const v: Float64Array[] = [];
  for (let i = 0; i <= upto; i++) {
    const n = g.nodes[i];
    if (n.op === "input") {
      const f = feeds.get(n.name!);
      if (!f) throw new ConfigError(`evaluate64: no feed for ${n.name}`);
      v.push(f);
    } else v.push(op64(g, i, v));
  }
  return v;
}
