// A training workload's job made verifiable: a worker's inner steps on TRAINING's proxy task
// (core/train/proxyTask.ts: the teacher corpus and the worker's shard, iid or Dirichlet non-iid)
// as an ML-ENGINE step graph (MLP + AdamW, forward + backward + update), so any worker's stretch
// of inner steps (a DiLoCo/NoLoCo round, a DDP run) can be replicated to providers and disputed
// with Verde (REFERENCE §1, §3, §5). Batch i is drawn from the stream ("verde", name, "batch", i),
// so every provider and the referee regenerate it without replaying earlier steps.
import type { RngStreams } from "../des/rng.ts";
import type { Backend } from "../ml/backend.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { initParams } from "../ml/model.ts";
import { buildMlp } from "../ml/models/mlp.ts";
import { buildTrainStep } from "../ml/trainStep.ts";
import { fillBatch, type ProxyTask } from "../train/proxyTask.ts";
import { GraphProgram } from "./graphProgram.ts";

export interface ProxyTaskJobConfig {
  name: string;
  task: ProxyTask;
  /** The worker's shard: pool indices it samples its batches from. */
  shard: Int32Array;
  steps: number;
  hidden: number;
  batch: number;
  lr: number;
  streams: RngStreams;
  /** Starting weights (e.g. the global model of an outer round); default: fresh from ("verde", name, "init"). */
  initialParams?: ReadonlyMap<string, Float32Array>;
}

export function proxyTaskJobProgram(c: ProxyTaskJobConfig, backend: Backend = repopsBackend): GraphProgram {
  const { inputs, classes } = c.task.config;
  const train = buildTrainStep((g) => buildMlp(g, { inDim: inputs, hidden: [c.hidden], classes, batch: c.batch }), { kind: "adamw" });
  const x = new Float32Array(c.batch * inputs);
  const y = new Int32Array(c.batch);
  return new GraphProgram({
    name: `${c.name}:proxy-mlp-${inputs}-${c.hidden}-${classes}`,
    train,
    backend,
    steps: c.steps,
    initialParams: c.initialParams ?? initParams(train.params, c.streams.stream("verde", c.name, "init")),
    batch: (i) => {
      fillBatch(c.task, c.shard, c.streams.stream("verde", c.name, "batch", i), c.batch, 0, x, y);
      return { x: x.slice(), y: Float32Array.from(y) };
    },
    lr: () => c.lr,
  });
}
