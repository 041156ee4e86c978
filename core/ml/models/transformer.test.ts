// The small transformer LM learns the Markov corpus down to near its known entropy floor, and
// pipeline stages compose to exactly the full model.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { repopsBackend } from "../backends/repops.ts";
import { MarkovCorpus } from "../data/markovCorpus.ts";
import { executeGraph } from "../execute.ts";
import { Graph } from "../graph.ts";
import { initParams, paramCount } from "../model.ts";
import { ReplicaTrainer } from "../replicaTrainer.ts";
import { buildEvalGraph, buildTrainStep } from "../trainStep.ts";
import { buildTransformerLM, buildTransformerStage, transformerStageModel } from "./transformer.ts";

describe("transformer LM on the Markov corpus", () => {
  test("AdamW gets within 0.05 nats of the Bayes floor on held-out windows (seed 1)", () => {
    const streams = new RngStreams(1);
    const corpus = new MarkovCorpus({ vocab: 6, order: 2, concentration: 0.3 }, streams.stream("corpus"));
    const cfg = { vocab: 6, context: 8, width: 32, heads: 2, layers: 1, batch: 64 };
    const step = buildTrainStep((g) => buildTransformerLM(g, cfg), { kind: "adamw" });
    const trainer = new ReplicaTrainer(step, repopsBackend, 1, initParams(step.params, streams.stream("init")));
    const held = corpus.sample(512, cfg.context, streams.stream("held"));
    const evalG = buildEvalGraph((g) => buildTransformerLM(g, { ...cfg, batch: 512 })).graph;
    const heldLoss = () => {
      const feeds = new Map(trainer.state);
      feeds.set("tokens", held.tokens);
      feeds.set("targets", held.targets);
      return executeGraph(evalG, repopsBackend, feeds).outputs.get("loss")![0];
    };
    const before = heldLoss();
    const rng = streams.stream("train");
    const steps = 400;
    for (let s = 0; s < steps; s++) {
      const w = corpus.sample(cfg.batch, cfg.context, rng);
      // 20 warmup steps, then linear decay to 10%.
      trainer.run({ tokens: w.tokens, targets: w.targets }, 0.02 * Math.min(1, (s + 1) / 20) * (1 - (0.9 * s) / steps));
    }
    const after = heldLoss();
    const oracle = corpus.oracleLoss(held, cfg.context);
    expect(paramCount(step.params)).toBe(13312);
    expect(corpus.windowFloor(cfg.context)).toBeCloseTo(oracle, 1);
    expect(before - oracle).toBeGreaterThan(0.5);
    expect(after - oracle).toBeLessThan(0.05);
    expect(after - oracle).toBeGreaterThan(-0.01);
  }, 60_000);
});

describe("pipeline stages", () => {
  test("stage [0,1) then stage [1,3) gives the full model's loss bit for bit", () => {
    const cfg = { vocab: 5, context: 4, width: 8, heads: 2, layers: 3, batch: 2 };
    const streams = new RngStreams(4);
    const full = buildEvalGraph((g) => buildTransformerLM(g, cfg));
    const params = initParams(full.params, streams.stream("init"));
    const w = new MarkovCorpus({ vocab: 5, order: 1, concentration: 1 }, streams.stream("c")).sample(2, 4, streams.stream("d"));
    const feeds = new Map(params);
    feeds.set("tokens", w.tokens);
    feeds.set("targets", w.targets);
    const want = executeGraph(full.graph, repopsBackend, feeds).outputs.get("loss")!;

    const g1 = new Graph();
    const s1 = buildTransformerStage(g1, cfg, 0, 1);
    const acts = executeGraph(g1, repopsBackend, feeds, { outputs: ["acts.out"] }).outputs.get("acts.out")!;
    const g2 = new Graph();
    const s2 = buildTransformerStage(g2, cfg, 1, 3);
    g2.output("loss", s2.out);
    const got = executeGraph(g2, repopsBackend, new Map([...feeds, ["acts", acts]])).outputs.get("loss")!;
    expect(s1.isLast).toBe(false);
    expect(s1.params.length + s2.params.length).toBe(full.params.length);
    expect([...got]).toEqual([...want]);
  });
});

describe("pipeline stage training", () => {
  test("two stages trained with AdamW through activations and their gradients == the full model, bit for bit (seed 6)", () => {
    const cfg = { vocab: 5, context: 4, width: 8, heads: 2, layers: 2, batch: 3 };
    const streams = new RngStreams(6);
    const full = buildTrainStep((g) => buildTransformerLM(g, cfg), { kind: "adamw" });
    const init = initParams(full.params, streams.stream("init"));
    const s0 = buildTrainStep(transformerStageModel(cfg, 0, 1), { kind: "adamw" });
    const s1 = buildTrainStep(transformerStageModel(cfg, 1, 2), { kind: "adamw" });
    const tFull = new ReplicaTrainer(full, repopsBackend, 1, init);
    const t0 = new ReplicaTrainer(s0, repopsBackend, 1, init);
    const t1 = new ReplicaTrainer(s1, repopsBackend, 1, init);
    const corpus = new MarkovCorpus({ vocab: 5, order: 2, concentration: 0.5 }, streams.stream("c"));
    for (let s = 0; s < 3; s++) {
      const w = corpus.sample(3, 4, streams.stream("d", s));
      const want = tFull.run({ tokens: w.tokens, targets: w.targets }, 0.01).loss[0];
      // Stage 0's forward alone (only the nodes "acts.out" needs run), then stage 1 trains and
      // returns grad:acts, then stage 0 runs its full step with that upstream gradient.
      const acts = executeGraph(s0.graph, repopsBackend, new Map([...t0.state, ["tokens", w.tokens]]), { outputs: ["acts.out"] }).outputs.get("acts.out")!;
      const r1 = t1.run({ acts, targets: w.targets }, 0.01);
      t0.run({ tokens: w.tokens, "acts.grad": r1.result.outputs.get("grad:acts")! }, 0.01);
      expect(r1.loss[0]).toBe(want);
    }
    const all = (t: ReplicaTrainer, names: string[]) => names.map((n) => [...t.state.get(n)!]);
    expect(all(t0, s0.params.map((p) => p.name))).toEqual(all(tFull, s0.params.map((p) => p.name)));
    expect(all(t1, s1.params.map((p) => p.name))).toEqual(all(tFull, s1.params.map((p) => p.name)));
  });
});
