// A short, fixed training run on repops whose final weight hashes pin reproducibility across
// engines (Bun vs Node) and machines (REFERENCE §2). Pure: no I/O.
import { RngStreams } from "../des/rng.ts";
import { repopsBackend } from "./backends/repops.ts";
import { GaussianMixture } from "./data/gaussianMixture.ts";
import { MarkovCorpus } from "./data/markovCorpus.ts";
import { initParams } from "./model.ts";
import { buildMlp } from "./models/mlp.ts";
import { buildTransformerLM } from "./models/transformer.ts";
import { ReplicaTrainer } from "./replicaTrainer.ts";
import { buildTrainStep } from "./trainStep.ts";

export interface Fingerprint {
  mlp: string;
  transformer: string;
  /** Final losses, as float32 bit patterns in hex (exact). */
  losses: string[];
}

const bits = (x: number) => new Uint32Array(Float32Array.of(x).buffer)[0].toString(16);

/** Train an MLP (AdamW, 2 replicas) and a small transformer (AdamW) for a few steps. */
export function trainFingerprint(seed: number, steps = 8): Fingerprint {
  const streams = new RngStreams(seed);
  const mix = new GaussianMixture({ classes: 3, dim: 6, separation: 1 }, streams.stream("mixture"));
  const mcfg = { inDim: 6, hidden: [16], classes: 3, batch: 8, activation: "gelu" as const };
  const mstep = buildTrainStep((g) => buildMlp(g, mcfg), { kind: "adamw", weightDecay: 0.01 });
  const mlp = new ReplicaTrainer(mstep, repopsBackend, 2, initParams(mstep.params, streams.stream("mlp", "init")));
  const corpus = new MarkovCorpus({ vocab: 7, order: 2, concentration: 0.4 }, streams.stream("corpus"));
  const tcfg = { vocab: 7, context: 6, width: 16, heads: 2, layers: 2, batch: 4 };
  const tstep = buildTrainStep((g) => buildTransformerLM(g, tcfg), { kind: "adamw", weightDecay: 0.01 });
  const lm = new ReplicaTrainer(tstep, repopsBackend, 1, initParams(tstep.params, streams.stream("lm", "init")));
  const drng = streams.stream("data");
  const losses: string[] = [];
  for (let s = 0; s < steps; s++) {
    const b = mix.sample(16, drng);
    const ml = mlp.run({ x: b.x, y: b.y }, 0.01).loss;
    const w = corpus.sample(4, 6, drng);
    const tl = lm.run({ tokens: w.tokens, targets: w.targets }, 0.003).loss;
    if (s === steps - 1) losses.push(bits(ml[0]), bits(ml[1]), bits(tl[0]));
  }
  return { mlp: `${mlp.replicaHash(0)}:${mlp.replicaHash(1)}`, transformer: lm.replicaHash(0), losses };
}
