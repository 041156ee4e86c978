// Sampling from an LM: deterministic per stream, greedy follows the argmax, and a model trained
// on arithmetic windows answers with the right format.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { repopsBackend } from "./backends/repops.ts";
import { ARITHMETIC_VOCAB, EOS, PAD, arithmeticWindows, encode, rewardOf, sampleArithmeticTask } from "./data/arithmeticTasks.ts";
import { generate } from "./generate.ts";
import { initParams } from "./model.ts";
import { buildTransformerLM } from "./models/transformer.ts";
import { ReplicaTrainer } from "./replicaTrainer.ts";
import { buildTrainStep } from "./trainStep.ts";

describe("generate", () => {
  const cfg = { vocab: ARITHMETIC_VOCAB, context: 8, width: 16, heads: 2, layers: 1, batch: 2 };
  const params = initParams(buildTrainStep((g) => buildTransformerLM(g, cfg), null).params, new RngStreams(3).stream("init"));
  const opts = { cfg, params, backend: repopsBackend, pad: PAD, temperature: 1 };
  test("same stream, same samples; lengths respect maxNew", () => {
    const a = generate([encode("1+2="), encode("3*4=")], 4, new RngStreams(1).stream("s"), opts);
    const b = generate([encode("1+2="), encode("3*4=")], 4, new RngStreams(1).stream("s"), opts);
    expect(a).toEqual(b);
    expect(a.map((c) => c.length)).toEqual([4, 4]);
    expect(() => generate([encode("1+2=")], 2, new RngStreams(1).stream("s"), opts)).toThrow(/1 prompts for a model batch of 2/);
    expect(() => generate([encode("1+2="), encode("1")], 5, new RngStreams(1).stream("s"), opts)).toThrow(/exceeds context 8/);
  });
  test("trained on answer-weighted windows, greedy decoding solves held-out single-digit sums (seed 4)", () => {
    const tcfg = { ...cfg, width: 32, layers: 2, batch: 32, weighted: true };
    const step = buildTrainStep((g) => buildTransformerLM(g, tcfg), { kind: "adamw" });
    const trainer = new ReplicaTrainer(step, repopsBackend, 1, initParams(step.params, new RngStreams(4).stream("init")));
    const rng = new RngStreams(4).stream("data");
    const task = { maxOperand: 9, ops: ["+"] as const };
    for (let s = 0; s < 400; s++) {
      const w = arithmeticWindows(task, 32, 8, rng);
      trainer.run({ tokens: w.tokens, targets: w.targets, weights: w.weights }, 0.005 * Math.min(1, (s + 1) / 30));
    }
    const trained = new Map(step.params.map((p) => [p.name, trainer.state.get(p.name)!]));
    const held = new RngStreams(9).stream("held");
    const tasks = Array.from({ length: 32 }, () => sampleArithmeticTask(task, held));
    const out = generate(tasks.map((t) => encode(t.prompt)), 3, new RngStreams(5).stream("s"), { ...opts, cfg: { ...tcfg, weighted: false }, params: trained, temperature: 0, stop: EOS });
    const reward = tasks.reduce((n, t, i) => n + rewardOf(t, out[i]), 0) / tasks.length;
    expect(reward).toBeGreaterThanOrEqual(0.9);
  }, 60_000);
});
