// tfjs backends ("tfjs-cpu", "tfjs-wasm" with SIMD): fast, NOT reproducible across engines or
// with repops (DESIGN: Learning). Values stay tf.Tensors between ops, shape [replicas, ...shape].
// tfjs is imported only here (STACK: tfjs); the wasm binary's directory is injected by the
// application (core/ does no I/O).
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../errors.ts";
import type { Backend, BackendOptions } from "../backend.ts";
import type { GraphNode } from "../graph.ts";
import { matmulDims } from "../opDefs.ts";
import type { Shape } from "../tensor.ts";

type T = tf.Tensor;
const GELU_C = 0.7978845608028654;
const GELU_K = 0.044715;

/** Shape of a suffix-shaped per-replica operand lifted to broadcast against rank `rank` (+1 replica dim). */
function lift(x: T, R: number, shape: Shape, rank: number): T {
  return x.reshape([R, ...new Array<number>(rank - shape.length).fill(1), ...shape]);
}

/** Column j of a per-replica hyperparameter tensor [R, w], shaped to broadcast over rank+1 dims. */
function hyperCol(hp: T, R: number, j: number, rank: number): T {
  return tf.slice(hp, [0, j], [R, 1]).reshape([R, ...new Array<number>(rank).fill(1)]);
}

function layerStats(x: T, eps: number): { xhat: T; rstd: T } {
  const { mean, variance } = tf.moments(x, -1, true);
  const rstd = tf.rsqrt(tf.add(variance, eps));
  return { xhat: tf.mul(tf.sub(x, mean), rstd), rstd };
}

function softmaxMasked(x: T, t: number): T {
  const mask = tf.linalg.bandPart(tf.ones([t, t]), -1, 0);
  return tf.softmax(tf.add(x, tf.mul(tf.sub(1, mask), -1e9)));
}

/** One op node on tfjs (also the webgpu worker's executor, sim/ml/webgpuWorker.ts). */
export function run(kind: "cpu" | "wasm", node: GraphNode, shapes: readonly Shape[], x: readonly T[], R: number): T {
  const a = node.attrs;
  const out = [R, ...node.shape];
  const s0 = shapes[0];
  switch (node.op) {
    case "fill":
      return tf.fill(out, a.value as number);
    case "matmul": {
      const { batch, m, k, n } = matmulDims(shapes[0], shapes[1], a);
      const ta = !!a.transA, tb = !!a.transB;
      const a3 = x[0].reshape([R * batch, ta ? k : m, ta ? m : k]);
      const b3 = x[1].reshape([R * batch, tb ? n : k, tb ? k : n]);
      if (kind === "cpu") return tf.matMul(a3, b3, ta, tb).reshape(out);
      // tfjs-wasm: an explicit transpose then a plain matmul is 3-4x faster than its transpose
      // flags, and a 2-D matmul 3x faster than a batch of one (measured, bench/ml.ts shapes).
      const an = ta ? tf.transpose(a3, [0, 2, 1]) : a3;
      const bn = tb ? tf.transpose(b3, [0, 2, 1]) : b3;
      if (R * batch === 1) return tf.matMul(an.reshape([m, k]), bn.reshape([k, n])).reshape(out);
      return tf.matMul(an, bn).reshape(out);
    }
    case "add":
      return tf.add(x[0], lift(x[1], R, shapes[1], s0.length));
    case "sub":
      return tf.sub(x[0], lift(x[1], R, shapes[1], s0.length));
    case "mul":
      return tf.mul(x[0], lift(x[1], R, shapes[1], s0.length));
    case "scale":
      return tf.mul(x[0], a.s as number);
    case "relu":
      return tf.relu(x[0]);
    case "reluGrad":
      return tf.mul(x[0], tf.step(x[1]));
    case "gelu": {
      const v = x[0];
      const u = tf.mul(GELU_C, tf.add(v, tf.mul(GELU_K, tf.mul(tf.square(v), v))));
      return tf.mul(tf.mul(0.5, v), tf.add(1, tf.tanh(u)));
    }
    case "geluGrad": {
      const v = x[1];
      const v2 = tf.square(v);
      const t = tf.tanh(tf.mul(GELU_C, tf.add(v, tf.mul(GELU_K, tf.mul(v2, v)))));
      const d = tf.add(tf.mul(0.5, tf.add(1, t)), tf.mul(tf.mul(tf.mul(0.5, v), tf.sub(1, tf.square(t))), tf.mul(GELU_C, tf.add(1, tf.mul(3 * GELU_K, v2)))));
      return tf.mul(x[0], d);
    }
    case "layernorm": {
      const { xhat } = layerStats(x[0], a.eps as number);
      return tf.add(tf.mul(xhat, lift(x[1], R, shapes[1], s0.length)), lift(x[2], R, shapes[2], s0.length));
    }
    case "lnNormalize":
      return layerStats(x[0], a.eps as number).xhat;
    case "layernormGradX": {
      const { xhat, rstd } = layerStats(x[1], a.eps as number);
      const gh = tf.mul(x[0], lift(x[2], R, shapes[2], s0.length));
      const m1 = tf.mean(gh, -1, true);
      const m2 = tf.mean(tf.mul(gh, xhat), -1, true);
      return tf.mul(rstd, tf.sub(tf.sub(gh, m1), tf.mul(xhat, m2)));
    }
    case "softmaxXent": {
      const c = s0[s0.length - 1];
      const picked = tf.sum(tf.mul(x[0], tf.oneHot(tf.cast(x[1], "int32"), c)), -1);
      return tf.sub(tf.logSumExp(x[0], -1), picked);
    }
    case "softmaxXentGrad": {
      const c = shapes[1][shapes[1].length - 1];
      const d = tf.sub(tf.softmax(x[1]), tf.oneHot(tf.cast(x[2], "int32"), c));
      return tf.mul(d, tf.expandDims(x[0], -1));
    }
    case "embedding": {
      const [v, d] = s0;
      const per = x[1].size / R;
      const offs = tf.mul(tf.range(0, R, 1, "int32"), tf.scalar(v, "int32")).reshape([R, 1]);
      const flatIds = tf.add(tf.cast(x[1], "int32").reshape([R, per]), offs).reshape([R * per]);
      return tf.gather(x[0].reshape([R * v, d]), flatIds).reshape(out);
    }
    case "embeddingGrad": {
      // dTable = onehot(ids)^T . g per replica (the wasm backend has no UnsortedSegmentSum).
      const v = a.vocab as number;
      const d = s0[s0.length - 1];
      const per = x[1].size / R;
      const onehot = tf.oneHot(tf.cast(x[1], "int32").reshape([R, per]), v).toFloat();
      return tf.matMul(onehot, x[0].reshape([R, per, d]), true, false).reshape(out);
    }
    case "causalSoftmax":
      return softmaxMasked(x[0], s0[s0.length - 1]);
    case "softmaxGrad":
      return tf.mul(x[1], tf.sub(x[0], tf.sum(tf.mul(x[0], x[1]), -1, true)));
    case "reshape":
      return x[0].reshape(out);
    case "transpose":
      return tf.transpose(x[0], [0, ...(a.perm as number[]).map((p) => p + 1)]);
    case "sumAll":
      return tf.sum(x[0].reshape([R, -1]), 1);
    case "meanAll":
      return tf.mean(x[0].reshape([R, -1]), 1);
    case "sumLeading": {
      const inner = node.shape.reduce((p, q) => p * q, 1);
      return tf.sum(x[0].reshape([R, -1, inner]), 1).reshape(out);
    }
    case "broadcast": {
      const inner = s0.reduce((p, q) => p * q, 1);
      const outer = node.shape.reduce((p, q) => p * q, 1) / inner;
      return tf.broadcastTo(x[0].reshape([R, 1, inner]), [R, outer, inner]).reshape(out);
    }
    case "adamM": {
      const b1 = a.beta1 as number;
      return tf.add(tf.mul(b1, x[0]), tf.mul(1 - b1, x[1]));
    }
    case "adamV": {
      const b2 = a.beta2 as number;
      return tf.add(tf.mul(b2, x[0]), tf.mul(1 - b2, tf.square(x[1])));
    }
    case "adamwParam": {
      const [p, m, v, hp] = x;
      const r = s0.length;
      const upd = tf.div(tf.div(m, hyperCol(hp, R, 1, r)), tf.add(tf.sqrt(tf.div(v, hyperCol(hp, R, 2, r))), a.eps as number));
      return tf.sub(p, tf.mul(hyperCol(hp, R, 0, r), tf.add(upd, tf.mul(a.weightDecay as number, p))));
    }
    case "nesterovBuf":
      return tf.add(tf.mul(a.momentum as number, x[0]), x[1]);
    case "nesterovParam": {
      const [p, g, buf, hp] = x;
      return tf.sub(p, tf.mul(hyperCol(hp, R, 0, s0.length), tf.add(g, tf.mul(a.momentum as number, buf))));
    }
    case "clipCoef":
      return tf.minimum(tf.div(a.maxNorm as number, tf.add(tf.sqrt(x[0]), 1e-6)), 1);
    case "grpoCoef": {
      const [xent, old, adv] = x;
      const ratio = tf.exp(tf.sub(tf.neg(xent), old));
      const clipped = tf.clipByValue(ratio, 1 - (a.low as number), 1 + (a.high as number));
      const unclipped = tf.mul(ratio, adv);
      return tf.where(tf.lessEqual(unclipped, tf.mul(clipped, adv)), unclipped, tf.zerosLike(unclipped));
    }
    default:
      throw new ConfigError(`tfjs: op ${node.op} (node ${node.id}) is not executable`);
  }
}

/** Create (once per process) the tfjs backend of `kind`; tfjs-wasm needs options.wasmDir. */
export async function createTfjsBackend(kind: "cpu" | "wasm", options: BackendOptions): Promise<Backend<T>> {
  if (kind === "wasm") {
    if (!options.wasmDir) throw new ConfigError("tfjs-wasm backend needs options.wasmDir (directory of tfjs-backend-wasm*.wasm, ending in /)");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(options.wasmDir.endsWith("/") ? options.wasmDir : `${options.wasmDir}/`);
  }
  tf.enableProdMode(); // silences tfjs's console banner about tfjs-node
  if (!(await tf.setBackend(kind))) throw new ConfigError(`tfjs backend ${kind} failed to initialise`);
  await tf.ready();
  const use = () => {
    if (tf.getBackend() !== kind) void tf.setBackend(kind); // synchronous switch once initialised
  };
  return {
    name: `tfjs-${kind}`,
    reproducible: false,
    upload: (data, shape, replicas) => (use(), tf.tensor(data, [replicas, ...shape], "float32")),
    download: (value) => new Float32Array(value.dataSync() as Float32Array),
    exec: (node, shapes, inputs, replicas) => (use(), tf.tidy(() => run(kind, node, shapes, inputs, replicas))),
    dispose: (value) => value.dispose(),
  };
}
