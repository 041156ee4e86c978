// A standard small Verde job on the real learning engine: an MLP classifier on Gaussian-mixture
// data trained with AdamW, as a GraphProgram (REFERENCE §3; DESIGN: Learning). Every party and
// the referee build the same job from (config, seed); only the execution backend differs.
import { RngStreams } from "../des/rng.ts";
import type { Backend } from "../ml/backend.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { GaussianMixture } from "../ml/data/gaussianMixture.ts";
import { initParams } from "../ml/model.ts";
import { buildMlp } from "../ml/models/mlp.ts";
import { buildTrainStep } from "../ml/trainStep.ts";
import { GraphProgram } from "./graphProgram.ts";

export interface MlpJobConfig {
  steps: number;
  seed: number;
  inDim?: number;
  hidden?: number[];
  classes?: number;
  batch?: number;
  lr?: number;
}

/** The job's program executed on `backend` (default repops); the referee always uses repops. */
export function mlpJobProgram(config: MlpJobConfig, backend: Backend = repopsBackend): GraphProgram {
  const { steps, seed, inDim = 8, hidden = [16], classes = 4, batch = 16, lr = 1e-2 } = config;
  const train = buildTrainStep((g) => buildMlp(g, { inDim, hidden, classes, batch }), { kind: "adamw" });
  const streams = new RngStreams(seed);
  const mixture = new GaussianMixture({ classes, dim: inDim, separation: 2 }, streams.stream("verde-job", "mixture"));
  return new GraphProgram({
    name: `mlp-${inDim}-${hidden.join("x")}-${classes}`,
    train,
    backend,
    steps,
    initialParams: initParams(train.params, streams.stream("verde-job", "init")),
    batch: (i) => {
      const b = mixture.sample(batch, streams.stream("verde-job", "batch", i));
      return { x: b.x, y: b.y };
    },
    lr: () => lr,
  });
}
