// The proxy task: a seeded teacher-network classification corpus (made here, nothing downloaded),
// an iid held-out split, and worker shards, iid or label-skewed by Dirichlet(alpha) (REFERENCE §5:
// DiLoCo is claimed robust to non-iid shards). Labels are drawn from the teacher's softmax, so the
// best possible loss is above zero, as in language modelling.
import { exp } from "../des/math.ts";
import { ConfigError } from "../errors.ts";
import type { Rng, RngStreams } from "../des/rng.ts";

export interface TaskConfig {
  inputs: number;
  classes: number;
  /** Hidden width of the teacher; wider is harder to fit. */
  teacherHidden: number;
  /** Scale of the teacher's logits; larger means less label noise. */
  sharpness: number;
  poolSize: number;
  heldOutSize: number;
}

export interface Examples {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

export interface ProxyTask {
  config: TaskConfig;
  pool: Examples;
  heldOut: Examples;
  /** Pool indices of each class. */
  byClass: Int32Array[];
}

function label(w1: Float64Array, w2: Float64Array, cfg: TaskConfig, x: Float32Array, xo: number, rng: Rng): number {
  const { inputs: d, teacherHidden: th, classes: c, sharpness } = cfg;
  const logits = new Float64Array(c);
  for (let j = 0; j < th; j++) {
    let a = 0;
    for (let i = 0; i < d; i++) a += x[xo + i] * w1[i * th + j];
    if (a <= 0) continue;
    for (let k = 0; k < c; k++) logits[k] += a * w2[j * c + k];
  }
  let mx = -Infinity;
  for (let k = 0; k < c; k++) if (logits[k] > mx) mx = logits[k];
  const probs: number[] = [];
  for (let k = 0; k < c; k++) probs.push(exp(sharpness * (logits[k] - mx)));
  return rng.weighted(probs);
}

/** Build the corpus from the stream path ("task", name, ...). */
export function makeTask(cfg: TaskConfig, streams: RngStreams, name: string): ProxyTask {
  for (const k of ["inputs", "classes", "teacherHidden", "poolSize", "heldOutSize"] as const) {
    if (!Number.isInteger(cfg[k]) || cfg[k] < 1) throw new ConfigError(`task.${k} must be a positive integer, got ${cfg[k]}`);
  }
  const { inputs: d, teacherHidden: th, classes: c } = cfg;
  const wr = streams.stream("task", name, "teacher");
  const w1 = Float64Array.from({ length: d * th }, () => wr.normal(0, Math.sqrt(2 / d)));
  const w2 = Float64Array.from({ length: th * c }, () => wr.normal(0, Math.sqrt(1 / th)));
  const draw = (n: number, which: string): Examples => {
    const r = streams.stream("task", name, which);
    const x = new Float32Array(n * d);
    const y = new Int32Array(n);
    for (let e = 0; e < n; e++) {
      for (let i = 0; i < d; i++) x[e * d + i] = r.normal();
      y[e] = label(w1, w2, cfg, x, e * d, r);
    }
    return { x, y, n };
  };
  const pool = draw(cfg.poolSize, "pool");
  const heldOut = draw(cfg.heldOutSize, "heldOut");
  const lists: number[][] = Array.from({ length: c }, () => []);
  for (let e = 0; e < pool.n; e++) lists[pool.y[e]].push(e);
  return { config: { ...cfg }, pool, heldOut, byClass: lists.map((l) => Int32Array.from(l)) };
}

/**
 * Each worker's shard as pool indices: iid (alpha null) = the whole pool; non-iid = shardSize
 * examples drawn by Dirichlet(alpha) class proportions from the stream ("shard", worker).
 */
export function makeShards(task: ProxyTask, workers: number, alpha: number | null, shardSize: number, streams: RngStreams): Int32Array[] {
  const all = Int32Array.from({ length: task.pool.n }, (_, i) => i);
  if (alpha === null) return Array.from({ length: workers }, () => all);
  if (!(alpha > 0)) throw new ConfigError(`nonIid.alpha must be > 0, got ${alpha}`);
  const c = task.config.classes;
  const shards: Int32Array[] = [];
  for (let w = 0; w < workers; w++) {
    const r = streams.stream("shard", w);
    const props = r.dirichlet(alpha, c).map((p, k) => (task.byClass[k].length > 0 ? p : 0));
    const idx = new Int32Array(shardSize);
    for (let e = 0; e < shardSize; e++) {
      const k = r.weighted(props);
      const list = task.byClass[k];
      idx[e] = list[r.int(list.length)];
    }
    shards.push(idx);
  }
  return shards;
}

/** Fill x/y at slot `slot` (batch examples) with a uniform draw from the shard. */
export function fillBatch(task: ProxyTask, shard: Int32Array, rng: Rng, batch: number, slot: number, x: Float32Array, y: Int32Array): void {
  const d = task.config.inputs;
  for (let b = 0; b < batch; b++) {
    const e = shard[rng.int(shard.length)];
    const dst = (slot * batch + b) * d;
    x.set(task.pool.x.subarray(e * d, e * d + d), dst);
    y[slot * batch + b] = task.pool.y[e];
  }
}
