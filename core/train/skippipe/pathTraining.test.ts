// Training along SkipPipe paths on the proxy transformer: the full path is the full model bit for
// bit, skipped stages get no gradient, swapped stages really run swapped.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { repopsBackend } from "../../ml/backends/repops.ts";
import { executeGraph } from "../../ml/execute.ts";
import { buildTransformerLM } from "../../ml/models/transformer.ts";
import { ReplicaTrainer } from "../../ml/replicaTrainer.ts";
import { buildEvalGraph, buildTrainStep } from "../../ml/trainStep.ts";
import { PathTrainer, type PathTrainingConfig, pathModel, trainingSetup } from "./pathTraining.ts";

const cfg: PathTrainingConfig = { vocab: 6, context: 4, width: 8, heads: 2, layers: 4, stages: 4, microbatch: 3, lr: 0.01, warmup: 0, weightDecay: 0.01, heldOut: 16, corpus: { order: 2, concentration: 0.5 } };
const tcfg = (batch: number) => ({ vocab: 6, context: 4, width: 8, heads: 2, layers: 4, batch });

describe("path models", () => {
  test("the path through every stage in order is the full LM, bit for bit (seed 3)", () => {
    const s = trainingSetup(cfg, new RngStreams(3));
    const feeds = new Map([...s.init, ["tokens", s.held.tokens], ["targets", s.held.targets]]);
    const full = executeGraph(buildEvalGraph((g) => buildTransformerLM(g, tcfg(16))).graph, repopsBackend, feeds).outputs.get("loss")!;
    const path = executeGraph(buildEvalGraph(pathModel(tcfg(16), 1, [1, 2, 3])).graph, repopsBackend, feeds).outputs.get("loss")!;
    expect([...path]).toEqual([...full]);
    const swapped = executeGraph(buildEvalGraph(pathModel(tcfg(16), 1, [2, 1, 3])).graph, repopsBackend, feeds).outputs.get("loss")!;
    expect(swapped[0]).not.toBe(full[0]);
  });
});

describe("PathTrainer", () => {
  test("full paths for every microbatch == one AdamW step of the full LM on their concatenated batch (seed 4)", () => {
    const streams = new RngStreams(4);
    const s = trainingSetup(cfg, streams);
    const w = [0, 1].map((i) => s.corpus.sample(3, 4, streams.stream("d", i)));
    const pt = new PathTrainer(cfg, repopsBackend, s.init, 10);
    pt.step([[1, 2, 3], [1, 2, 3]], w);
    const ref = new ReplicaTrainer(buildTrainStep((g) => buildTransformerLM(g, tcfg(6)), { kind: "adamw", weightDecay: 0.01 }), repopsBackend, 1, s.init);
    const tokens = new Float32Array(24);
    const targets = new Float32Array(24);
    w.forEach((x, k) => {
      tokens.set(x.tokens, k * 12);
      targets.set(x.targets, k * 12);
    });
    ref.run({ tokens, targets }, 0.01);
    const got = pt.paramsSnapshot();
    for (const [name, v] of got) expect({ name, v: [...v] }).toEqual({ name, v: [...ref.state.get(name)!] });
  });
  test("a stage no microbatch visits only decays; visited stages move (seed 5)", () => {
    const streams = new RngStreams(5);
    const s = trainingSetup(cfg, streams);
    const pt = new PathTrainer(cfg, repopsBackend, s.init, 10);
    pt.step([[1, 2], [2, 1]], [0, 1].map((i) => s.corpus.sample(3, 4, streams.stream("d", i))));
    const after = pt.paramsSnapshot();
    const skipped = "block.3.mlp.w1";
    const init = s.init.get(skipped)!;
    const decayed = after.get(skipped)!;
    for (let i = 0; i < init.length; i++) expect(decayed[i]).toBeCloseTo(init[i] * (1 - 0.01 * 0.01), 6);
    const moved = after.get("block.1.mlp.w1")!;
    const init1 = s.init.get("block.1.mlp.w1")!;
    let changed = 0;
    for (let i = 0; i < init1.length; i++) if (Math.abs(moved[i] - init1[i] * (1 - 1e-4)) > 1e-4) changed++;
    expect(changed).toBeGreaterThan(init1.length / 2);
  });
  test("partial perplexity averages over the kept-stage subsets and equals exp(loss) when every stage is kept", () => {
    const s = trainingSetup(cfg, new RngStreams(6));
    const pt = new PathTrainer(cfg, repopsBackend, s.init, 10);
    const full = pt.heldOutLoss(s.held);
    expect(pt.partialPerplexity(s.held, 4)).toBeCloseTo(Math.exp(full), 5);
    const subsets = [[1], [2], [3]].map((p) => pt.heldOutLoss(s.held, p));
    expect(pt.partialPerplexity(s.held, 2)).toBeCloseTo(Math.exp((subsets[0] + subsets[1] + subsets[2]) / 3), 5);
  });
});
