// Inference and evaluation jobs on the engine's MLP with given weights (REFERENCE §1, §3): a
// batch of requests (feature vectors: the MLP's "prompts") cut into chunks, answered as
//  - logits: the model's logits per request;
//  - sample: tokens drawn by a seeded Gumbel-max sampler: the committed output is the perturbed
//    score logits/temperature + g, g = -log(-log u) from the job's seeded stream (chunk c's own
//    stream), so the sampled token = argmax of each committed row (sampledTokens) and sampling is
//    part of the verified graph;
//  - eval: the held-out mean cross-entropy of each chunk.
// Every party and the referee build the same job from the config; only the backend differs.
import { log } from "../des/math.ts";
import { RngStreams } from "../des/rng.ts";
import { ConfigError } from "../errors.ts";
import type { Backend } from "../ml/backend.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { GaussianMixture } from "../ml/data/gaussianMixture.ts";
import { Graph } from "../ml/graph.ts";
import { initParams } from "../ml/model.ts";
import { buildMlp } from "../ml/models/mlp.ts";
import { runFlops } from "../verde/program.ts";
import { appendPlacement, ForwardProgram, type ForwardState } from "./forwardProgram.ts";

export const INFERENCE_TASKS = ["logits", "sample", "eval"] as const;
export type InferenceTask = (typeof INFERENCE_TASKS)[number];

export interface Requests {
  /** [batch, inDim] inputs. */
  x: Float32Array;
  /** [batch] labels (eval; ignored otherwise). */
  y: Float32Array;
}

export interface InferenceJobConfig {
  task: InferenceTask;
  seed: number;
  /** Chunks (Verde phase-1 steps) and requests per chunk. */
  chunks: number;
  batch: number;
  inDim?: number;
  hidden?: readonly number[];
  classes?: number;
  /** Sampling temperature (sample; > 0). */
  temperature?: number;
  /** The model's weights by name (default: drawn from the job seed's "inference-job"/"weights" stream). */
  params?: ReadonlyMap<string, Float32Array>;
  /** Requests of chunk c (default: a Gaussian mixture from the job seed). */
  requests?(chunk: number): Requests;
  /** Name prefix for traces. */
  name?: string;
}

function gumbel(n: number, seed: number, chunk: number): Float32Array {
  const rng = new RngStreams(seed).stream("inference-job", "gumbel", chunk);
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.random() || Number.MIN_VALUE;
    g[i] = -log(-log(u));
  }
  return g;
}

/** The job's program executed on `backend` (default repops); the referee always uses repops. */
export function inferenceJobProgram(config: InferenceJobConfig, backend: Backend = repopsBackend): ForwardProgram {
  const { task, seed, chunks, batch, inDim = 8, hidden = [16], classes = 4, temperature = 1 } = config;
  if (!INFERENCE_TASKS.includes(task)) throw new ConfigError(`inference job: unknown task ${JSON.stringify(task)}; known: ${INFERENCE_TASKS.join(", ")}`);
  if (!Number.isSafeInteger(chunks) || chunks < 1) throw new ConfigError(`inference job: chunks must be a positive integer, got ${chunks}`);
  if (!Number.isSafeInteger(batch) || batch < 1) throw new ConfigError(`inference job: batch must be a positive integer, got ${batch}`);
  if (task === "sample" && !(temperature > 0)) throw new ConfigError(`inference job: temperature must be > 0 for sampling, got ${temperature}`);
  const g = new Graph();
  const m = buildMlp(g, { inDim, hidden, classes, batch });
  const logits = m.extra!.logits;
  let out = logits;
  if (task === "sample") out = g.op("add", [g.op("scale", [logits], { s: 1 / temperature }), g.input("gumbel", [batch, classes], "data")], {}, "perturbed");
  if (task === "eval") out = m.loss;
  appendPlacement(g, out, chunks);
  const streams = new RngStreams(seed);
  const params = config.params ?? initParams(m.params, streams.stream("inference-job", "weights"));
  const mixture = config.requests ? null : new GaussianMixture({ classes, dim: inDim, separation: 2 }, streams.stream("inference-job", "mixture"));
  const requests = config.requests ?? ((c: number) => mixture!.sample(batch, streams.stream("inference-job", "requests", c)));
  return new ForwardProgram({
    name: `${config.name ?? "inference"}-${task}-mlp-${inDim}-${hidden.join("x") || "linear"}-${classes}`,
    graph: g,
    backend,
    chunks,
    feeds: (c) => {
      const r = requests(c);
      const feeds: Record<string, Float32Array> = { x: r.x, y: r.y };
      for (const p of m.params) {
        const v = params.get(p.name);
        if (!v) throw new ConfigError(`inference job: no weights for ${p.name}`);
        feeds[p.name] = v;
      }
      if (task === "sample") feeds.gumbel = gumbel(batch * classes, seed, c);
      return feeds;
    },
  });
}

/** Per request, the argmax of its row of K = classes values (lowest index on ties): the sampled token (sample) or the predicted class (logits). */
export function argmaxRows(program: ForwardProgram, state: ForwardState, classes: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < program.steps; c++) {
    const row = program.row(state, c);
    for (let r = 0; r + classes <= row.length; r += classes) {
      let best = 0;
      for (let j = 1; j < classes; j++) if (row[r + j] > row[r + best]) best = j;
      out.push(best);
    }
  }
  return out;
}

/** The job's fee priced by its FLOPs (REFERENCE §1): ceil(flops / 1e9 * weiPerGflop), at least 1 wei. */
export function feeByFlops(program: ForwardProgram, weiPerGflop: bigint): bigint {
  const flops = BigInt(Math.ceil(runFlops(program)));
  const fee = (flops * weiPerGflop + 999_999_999n) / 1_000_000_000n;
  return fee > 0n ? fee : 1n;
}
