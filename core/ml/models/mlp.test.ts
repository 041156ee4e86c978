// The MLP classifier learns a Gaussian mixture to high held-out accuracy on repops.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { repopsBackend } from "../backends/repops.ts";
import { GaussianMixture } from "../data/gaussianMixture.ts";
import { executeGraph } from "../execute.ts";
import { initParams } from "../model.ts";
import { ReplicaTrainer } from "../replicaTrainer.ts";
import { buildEvalGraph, buildTrainStep } from "../trainStep.ts";
import { buildMlp } from "./mlp.ts";

function accuracy(logits: Float32Array, y: Float32Array, classes: number): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    if (best === y[i]) right++;
  }
  return right / y.length;
}

describe("MLP on a Gaussian mixture", () => {
  test("reaches > 95% held-out accuracy in 300 AdamW steps (seed 3)", () => {
    const streams = new RngStreams(3);
    const mix = new GaussianMixture({ classes: 5, dim: 10, separation: 1.5 }, streams.stream("mixture"));
    const cfg = { inDim: 10, hidden: [32], classes: 5, batch: 32 };
    const step = buildTrainStep((g) => buildMlp(g, cfg), { kind: "adamw" });
    const trainer = new ReplicaTrainer(step, repopsBackend, 1, initParams(step.params, streams.stream("init")));
    const rng = streams.stream("train");
    let first = 0;
    let lastLoss = 0;
    for (let s = 0; s < 300; s++) {
      const b = mix.sample(cfg.batch, rng);
      lastLoss = trainer.run({ x: b.x, y: b.y }, 0.01).loss[0];
      if (s === 0) first = lastLoss;
    }
    const evalG = buildEvalGraph((g) => buildMlp(g, { ...cfg, batch: 2000 }));
    const test = mix.sample(2000, streams.stream("test"));
    const feeds = new Map(trainer.state);
    feeds.set("x", test.x);
    feeds.set("y", test.y);
    const out = executeGraph(evalG.graph, repopsBackend, feeds).outputs;
    const acc = accuracy(out.get("logits")!, test.y, 5);
    expect(first).toBeGreaterThan(1);
    expect(lastLoss).toBeLessThan(0.3);
    expect(acc).toBeGreaterThan(0.95);
  }, 30_000);
});
