import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { executeGraph } from "../ml/execute.ts";
import { buildMlp } from "../ml/models/mlp.ts";
import { HYPER_INPUT, nextName, optimizerHyper } from "../ml/optimizers.ts";
import { buildTrainStep } from "../ml/trainStep.ts";
import { GraphEngine, paramLayout } from "./graphEngine.ts";
import { makeShards, makeTask } from "./proxyTask.ts";
import { ReplicaSet } from "./replicaSet.ts";

const inner = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, warmup: 0, schedule: "constant" as const, minLrRatio: 0.1, clip: null };

function replicaSet(backend: typeof repopsBackend | null) {
  const streams = new RngStreams(12);
  const task = makeTask({ inputs: 5, classes: 3, teacherHidden: 6, sharpness: 4, poolSize: 300, heldOutSize: 50 }, streams, "g");
  const set = new ReplicaSet({ task, shards: makeShards(task, 3, null, 0, streams), workers: 3, batch: 4, hidden: 6, inner, streams, arm: "g", totalSteps: 10, backend });
  set.load(set.initialWeights(streams, "g"), [0, 1, 2]);
  return set;
}

describe("inner steps on the ML backend (graph engine)", () => {
  test("a worker that sits a step out keeps its weights and its AdamW moments", () => {
    const set = replicaSet(repopsBackend);
    const P = set.P;
    const before = set.theta.slice(P, 2 * P);
    set.innerSteps([0, 2], 3);
    expect(Array.from(set.theta.slice(P, 2 * P))).toEqual(Array.from(before));
    expect(Array.from(set.theta.slice(0, P))).not.toEqual(Array.from(before));
    // Worker 1 then trains from where it was: its first step is an AdamW step from zero moments.
    const solo = replicaSet(repopsBackend);
    solo.innerSteps([1], 1);
    set.innerSteps([1], 1);
    const a = set.theta.slice(P, 2 * P);
    const b = solo.theta.slice(P, 2 * P);
    // Bias corrections follow each worker's own step count: bit for bit the same first step.
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(set.steps)).toEqual([3, 1, 3]);
  });

  test("AdamW bias corrections count each worker's own steps, not the batch's", () => {
    // Worker 1 sat 3 steps out; its 4th step overall is its 1st: bias corrections 1-b1, 1-b2.
    // With a global count (t = 4) the first step would be scaled by (1-b1^4)/(1-b1) / sqrt(...)
    // and differ; a worker that never sat out matches a fresh solo run at every step.
    const set = replicaSet(repopsBackend);
    set.innerSteps([0, 2], 3);
    set.innerSteps([0, 1, 2], 2);
    const solo = replicaSet(repopsBackend);
    solo.innerSteps([1], 2);
    const P = set.P;
    expect(Array.from(set.theta.slice(P, 2 * P))).toEqual(Array.from(solo.theta.slice(P, 2 * P)));
  });

  test("matches the builtin kernels on the same batches to float32 rounding", () => {
    const g = replicaSet(repopsBackend);
    const b = replicaSet(null);
    const lg = g.innerSteps([0, 1, 2], 5);
    const lb = b.innerSteps([0, 1, 2], 5);
    expect(Math.abs(lg - lb)).toBeLessThan(1e-4);
    let worst = 0;
    for (let j = 0; j < g.theta.length; j++) worst = Math.max(worst, Math.abs(g.theta[j] - b.theta[j]));
    expect(worst).toBeLessThan(1e-4);
    expect(g.engineName).toBe("repops");
    expect(b.engineName).toBe("builtin");
  });
});

describe("workers that sit out cost no compute (compacted, chunked execution)", () => {
  const shape = { inputs: 5, hidden: 6, classes: 3 };
  const W = 7;
  const batch = 4;
  // Rounds of 3 steps with workers down: all up, then churn, then one worker alone.
  const schedule = [[0, 1, 2, 3, 4, 5, 6], [0, 2, 3, 5], [1, 4, 6], [0, 1, 2, 3, 4, 5, 6], [3]];
  const n = 3;
  /** Worker w's batch at its own step t: a function of (w, t) only, so both runs see the same data. */
  function batchAt(w: number, t: number, x: Float32Array, xo: number, y: Float32Array | Int32Array, yo: number): void {
    for (let i = 0; i < batch * shape.inputs; i++) x[xo + i] = Math.fround((((w * 31 + t * 17 + i * 7) % 23) - 11) / 7);
    for (let b = 0; b < batch; b++) y[yo + b] = (w + t + b) % shape.classes;
  }
  const lrOf = (w: number, t: number) => 0.02 / (1 + (w % 3)) / Math.sqrt(t);
  function start(): Float32Array {
    const P = paramLayout(shape).reduce((a, [, , k]) => a + k, 0);
    const rng = new RngStreams(77).stream("theta");
    return Float32Array.from({ length: W * P }, () => Math.fround(rng.normal(0, 0.5)));
  }

  /** The engine: only the round's workers are computed, in chunks of 2. */
  function compact() {
    const engine = new GraphEngine(repopsBackend, shape, batch, W, inner);
    const theta = start();
    const steps = new Int32Array(W);
    const losses = new Float64Array(W).fill(NaN);
    const trace: number[][] = [];
    for (const active of schedule) {
      engine.train(theta, active, n, (w) => {
        const t = ++steps[w];
        return { lr: lrOf(w, t), t };
      }, (w, slot, x, y) => batchAt(w, steps[w], x, slot * batch * shape.inputs, y, slot * batch), losses, 2);
      trace.push(Array.from(losses));
    }
    return { theta, m: engine.moments.m, v: engine.moments.v, trace, computed: engine.replicaSteps };
  }

  /** Reference: every worker computed every step through executeGraph, the down ones masked out (lr 0, results discarded). */
  function fullMasked() {
    const graph = buildTrainStep((g) => buildMlp(g, { inDim: shape.inputs, hidden: [shape.hidden], classes: shape.classes, batch }), { kind: "adamw", beta1: inner.beta1, beta2: inner.beta2, eps: inner.eps, weightDecay: inner.weightDecay });
    const layout = paramLayout(shape);
    const P = layout.reduce((a, [, , k]) => a + k, 0);
    const theta = start();
    const m = new Float32Array(W * P);
    const v = new Float32Array(W * P);
    const steps = new Int32Array(W);
    const losses = new Float64Array(W).fill(NaN);
    const trace: number[][] = [];
    const width = optimizerHyper(graph.optimizer!, 1, 0).length;
    let computed = 0;
    for (const active of schedule) {
      for (let k = 0; k < n; k++) {
        const x = new Float32Array(W * batch * shape.inputs);
        const y = new Float32Array(W * batch);
        const hp = new Float32Array(W * width);
        for (let w = 0; w < W; w++) hp.set(optimizerHyper(graph.optimizer!, 1, 0), w * width);
        for (const w of active) {
          const t = ++steps[w];
          hp.set(optimizerHyper(graph.optimizer!, t, lrOf(w, t)), w * width);
          batchAt(w, t, x, w * batch * shape.inputs, y, w * batch);
        }
        const feeds = new Map<string, Float32Array>([["x", x], ["y", y], [HYPER_INPUT, hp]]);
        const rows: [string, Float32Array, number, number][] = [];
        for (const [name, off, size] of layout) rows.push([name, theta, off, size], [`opt.m.${name}`, m, off, size], [`opt.v.${name}`, v, off, size]);
        for (const [name, store, off, size] of rows) {
          const all = new Float32Array(W * size);
          for (let w = 0; w < W; w++) all.set(store.subarray(w * P + off, w * P + off + size), w * size);
          feeds.set(name, all);
        }
        const out = executeGraph(graph.graph, repopsBackend, feeds, { replicas: W }).outputs;
        computed += W;
        for (const w of active) {
          losses[w] = out.get("loss")![w];
          for (const [name, store, off, size] of rows) store.set(out.get(nextName(name))!.subarray(w * size, (w + 1) * size), w * P + off);
        }
      }
      trace.push(Array.from(losses));
    }
    return { theta, m, v, trace, computed };
  }

  test("the active workers' trajectory is bit for bit the full computation masked; the skipped work is not done", () => {
    const a = compact();
    const b = fullMasked();
    expect(a.trace).toEqual(b.trace);
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    expect(Array.from(a.m)).toEqual(Array.from(b.m));
    expect(Array.from(a.v)).toEqual(Array.from(b.v));
    // The weights moved (a run that did nothing would compare equal too).
    expect(Array.from(a.theta)).not.toEqual(Array.from(start()));
    // 7 + 4 + 3 + 7 + 1 = 22 worker-rounds of 3 steps computed, against 5 x 7 x 3 = 105 for the full computation.
    expect(a.computed).toBe(22 * n);
    expect(b.computed).toBe(schedule.length * W * n);
    // Deterministic: a second run gives the same bytes.
    const again = compact();
    expect(Array.from(again.theta)).toEqual(Array.from(a.theta));
    expect(again.trace).toEqual(a.trace);
  });

  test("steps() (batches at slot w, one chunk) gives the bytes of train() (slot by slot, chunks of 2)", () => {
    const run = (how: "steps" | "train") => {
      const engine = new GraphEngine(repopsBackend, shape, batch, W, inner);
      const theta = start();
      const steps = new Int32Array(W);
      const losses = new Float64Array(W);
      const hyperOf = (w: number) => {
        const t = ++steps[w];
        return { lr: lrOf(w, t), t };
      };
      for (const active of schedule.slice(1, 3)) {
        if (how === "train") engine.train(theta, active, n, hyperOf, (w, slot, x, y) => batchAt(w, steps[w], x, slot * batch * shape.inputs, y, slot * batch), losses, 2);
        else {
          const x = new Float32Array(W * batch * shape.inputs);
          const y = new Int32Array(W * batch);
          engine.steps(theta, active, hyperOf, () => {
            for (const w of active) batchAt(w, steps[w], x, w * batch * shape.inputs, y, w * batch);
            return { x, y };
          }, n, losses);
        }
      }
      return [...theta, ...engine.moments.m, ...engine.moments.v, ...losses];
    };
    expect(run("steps")).toEqual(run("train"));
  });

  test("ReplicaSet counts the inner steps it computed on either engine: listed workers only", () => {
    for (const backend of [repopsBackend, null]) {
      const set = replicaSet(backend);
      expect(set.computedSteps).toBe(0);
      set.innerSteps([0, 2], 3);
      set.innerSteps([1], 2);
      set.innerSteps([0, 1, 2], 1);
      expect(set.computedSteps).toBe(2 * 3 + 2 + 3);
      expect(Array.from(set.steps)).toEqual([4, 3, 4]);
    }
  });
});
