// NoLoCo's inner steps with random routing (REFERENCE §5, `routing: random`): the workers of a
// round step in lockstep, each inner step routing every example from its owner's stage 0 to a
// stage-1 replica drawn per example by a permutation seeded by the step (routedMlp.ts), then one
// AdamW step per worker on its whole replica. Same state as ReplicaSet.innerSteps (its fast
// weights, moments, step counts and last losses) and the same batches: each worker's batch stream
// is the one ReplicaSet draws from, unused by it while the arm routes.
import type { Rng, RngStreams } from "../des/rng.ts";
import { adamwStep, clipByGlobalNorm } from "./adamw.ts";
import { fillBatch } from "./proxyTask.ts";
import type { ReplicaSet } from "./replicaSet.ts";
import { drawRoutes, routedLossAndGrad } from "./routedMlp.ts";

export class RoutedInnerSteps {
  private readonly replicas: ReplicaSet;
  private readonly streams: RngStreams;
  private readonly batchRngs: Rng[];
  /** Examples routed to another worker's stage 1 / examples stepped (a check that routing happened). */
  crossed = 0;
  examples = 0;

  constructor(replicas: ReplicaSet, streams: RngStreams) {
    this.replicas = replicas;
    this.streams = streams;
    this.batchRngs = Array.from({ length: replicas.workers }, (_, w) => streams.stream("train", replicas.streamKey, "batch", w));
  }

  /** The routes of global inner step `step` among n workers (stream "noloco", "route", arm, step). */
  routes(step: number, n: number): Int32Array {
    return drawRoutes(this.streams.stream("noloco", "route", this.replicas.streamKey, step), n, this.replicas.batch);
  }

  /** n lockstep inner steps of the listed workers, the first being global inner step firstStep. */
  steps(workers: readonly number[], n: number, firstStep: number): void {
    const rs = this.replicas;
    const P = rs.P;
    const B = rs.batch;
    const nw = workers.length;
    const x = new Float32Array(nw * B * rs.task.config.inputs);
    const y = new Int32Array(nw * B);
    const grads = new Float32Array(nw * P);
    const losses = new Float64Array(nw);
    for (let k = 0; k < n; k++) {
      for (let s = 0; s < nw; s++) fillBatch(rs.task, rs.shards[workers[s]], this.batchRngs[workers[s]], B, s, x, y);
      const route = this.routes(firstStep + k, nw);
      for (let i = 0; i < route.length; i++) if (route[i] !== i % nw) this.crossed++;
      this.examples += route.length;
      routedLossAndGrad(rs.mlp.shape, rs.theta, P, workers, B, x, y, route, grads, losses);
      for (let s = 0; s < nw; s++) {
        const w = workers[s];
        const t = ++rs.steps[w];
        const o = w * P;
        const g = grads.subarray(s * P, s * P + P);
        if (rs.inner.clip !== null) clipByGlobalNorm(g, rs.inner.clip);
        adamwStep(rs.theta.subarray(o, o + P), g, rs.m.subarray(o, o + P), rs.v.subarray(o, o + P), t, rs.inner, 0, P, rs.lrScale(t));
        rs.lastLoss[w] = losses[s];
      }
    }
  }
}
