// One DiLoCo/NoLoCo worker's round (H inner AdamW steps from the round's starting weights on its
// own shard) as a Verde VerifiableProgram (REFERENCE §3, §5), through VERDE's proxy-task job on
// the ML-ENGINE step graph. The flat weights of core/train (W1 [in x hidden], b1, W2 [hidden x
// classes], b2) map one-to-one onto the graph MLP's mlp.0.w, mlp.0.b, mlp.1.w, mlp.1.b.
// The job regenerates its batches from ("verde", name, "batch", i), so it is the same work as the
// round, re-expressed for disputes, not a replay of the simulator's own batch draws.
import type { RngStreams } from "../des/rng.ts";
import { ConfigError } from "../errors.ts";
import type { GraphProgram } from "../verde/graphProgram.ts";
import { proxyTaskJobProgram } from "../verde/proxyTaskJob.ts";
import type { ProxyTask } from "./proxyTask.ts";
import type { MlpShape } from "./replicaMlp.ts";

/** Named parameter tensors of the graph MLP from one flat weight vector. */
export function graphParams(flat: Float32Array, shape: MlpShape): Map<string, Float32Array> {
  const { inputs: d, hidden: h, classes: c } = shape;
  const sizes: [string, number][] = [["mlp.0.w", d * h], ["mlp.0.b", h], ["mlp.1.w", h * c], ["mlp.1.b", c]];
  const total = sizes.reduce((a, [, n]) => a + n, 0);
  if (flat.length !== total) throw new ConfigError(`graphParams: expected ${total} weights for ${d}-${h}-${c}, got ${flat.length}`);
  const out = new Map<string, Float32Array>();
  let o = 0;
  for (const [name, n] of sizes) {
    out.set(name, flat.slice(o, o + n));
    o += n;
  }
  return out;
}

export interface DilocoRoundJobConfig {
  /** Job name, e.g. "diloco/round3/worker17". */
  name: string;
  task: ProxyTask;
  shard: Int32Array;
  /** The global weights the round starts from. */
  start: Float32Array;
  hidden: number;
  H: number;
  batch: number;
  lr: number;
  streams: RngStreams;
}

export function dilocoRoundJob(c: DilocoRoundJobConfig): GraphProgram {
  const shape = { inputs: c.task.config.inputs, hidden: c.hidden, classes: c.task.config.classes };
  return proxyTaskJobProgram({
    name: c.name,
    task: c.task,
    shard: c.shard,
    steps: c.H,
    hidden: c.hidden,
    batch: c.batch,
    lr: c.lr,
    streams: c.streams,
    initialParams: graphParams(c.start, shape),
  });
}
