import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
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
