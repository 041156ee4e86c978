// Replica batching on repops: K replicas trained as one batched computation give exactly the
// bytes of K separate runs (DESIGN: Learning), for the MLP and the transformer.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { repopsBackend } from "./backends/repops.ts";
import { MarkovCorpus } from "./data/markovCorpus.ts";
import { GaussianMixture } from "./data/gaussianMixture.ts";
import type { Feeds } from "./execute.ts";
import { initParams, type ModelBuilder } from "./model.ts";
import { buildMlp } from "./models/mlp.ts";
import { buildTransformerLM } from "./models/transformer.ts";
import { nodeHashes } from "./nodeHashes.ts";
import { repopsArena } from "./repops/repopsWasm.ts";
import { ReplicaTrainer, runResidentSteps } from "./replicaTrainer.ts";
import { HYPER_INPUT, optimizerHyper } from "./optimizers.ts";
import { buildTrainStep, buildUpdateStep, gradName } from "./trainStep.ts";
import { hashConcat, hashTensor, toHex } from "./hash.ts";

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

/** Train K replicas batched and one by one; returns both sets of replica hashes. */
function batchedVsAlone(model: ModelBuilder, K: number, steps: number, data: (r: number, s: number) => Record<string, Float32Array>, seed: number) {
  const step = buildTrainStep(model, { kind: "adamw", weightDecay: 0.01 });
  const streams = new RngStreams(seed);
  const inits = Array.from({ length: K }, (_, r) => initParams(step.params, streams.stream("init", r)));
  const joined = new Map(step.params.map((p) => [p.name, concat(inits.map((m) => m.get(p.name)!))]));
  const batched = new ReplicaTrainer(step, repopsBackend, K, joined);
  const alone = inits.map((m) => new ReplicaTrainer(step, repopsBackend, 1, m));
  const lrs = Float32Array.from({ length: K }, (_, r) => 0.01 / (r + 1));
  for (let s = 0; s < steps; s++) {
    const per = Array.from({ length: K }, (_, r) => data(r, s));
    const feeds: Feeds = Object.fromEntries(Object.keys(per[0]).map((k) => [k, concat(per.map((d) => d[k]))]));
    batched.run(feeds, lrs);
    alone.forEach((t, r) => t.run(per[r], lrs[r]));
  }
  return { batched: Array.from({ length: K }, (_, r) => batched.replicaHash(r)), alone: alone.map((t) => t.replicaHash(0)) };
}

describe("batched replicas on repops", () => {
  test("MLP: 4 replicas batched == 4 runs alone, bit for bit (seed 11)", () => {
    const mix = new GaussianMixture({ classes: 3, dim: 6, separation: 1 }, new RngStreams(11).stream("mix"));
    const cfg = { inDim: 6, hidden: [16, 8], classes: 3, batch: 8, activation: "gelu" as const };
    const r = batchedVsAlone((g) => buildMlp(g, cfg), 4, 5, (rep, s) => ({ ...mix.sample(8, new RngStreams(11).stream("data", rep, s)) }), 11);
    expect(r.batched).toEqual(r.alone);
    expect(new Set(r.batched).size).toBe(4);
  }, 30_000);
  test("transformer: 3 replicas batched == 3 runs alone, bit for bit (seed 12)", () => {
    const corpus = new MarkovCorpus({ vocab: 6, order: 2, concentration: 0.5 }, new RngStreams(12).stream("corpus"));
    const cfg = { vocab: 6, context: 5, width: 8, heads: 2, layers: 2, batch: 2 };
    const r = batchedVsAlone((g) => buildTransformerLM(g, cfg), 3, 3, (rep, s) => {
      const w = corpus.sample(2, 5, new RngStreams(12).stream("data", rep, s));
      return { tokens: w.tokens, targets: w.targets };
    }, 12);
    expect(r.batched).toEqual(r.alone);
    expect(new Set(r.batched).size).toBe(3);
  }, 30_000);
  test("property: over 6 seeds and 2..5 replicas, MLP batched == alone (twin of the seed-11 test)", () => {
    for (let seed = 40; seed < 46; seed++) {
      const K = 2 + (seed % 4);
      const mix = new GaussianMixture({ classes: 3, dim: 4, separation: 1 }, new RngStreams(seed).stream("mix"));
      const cfg = { inDim: 4, hidden: [6], classes: 3, batch: 4, activation: seed % 2 ? ("gelu" as const) : ("relu" as const) };
      const r = batchedVsAlone((g) => buildMlp(g, cfg), K, 3, (rep, s) => ({ ...mix.sample(4, new RngStreams(seed).stream("data", rep, s)) }), seed);
      expect(r.batched).toEqual(r.alone);
    }
  }, 30_000);
  test("recorded per-node hashes of one replica match its unbatched run", () => {
    const cfg = { inDim: 4, hidden: [5], classes: 3, batch: 2 };
    const step = buildTrainStep((g) => buildMlp(g, cfg), { kind: "adamw" });
    const streams = new RngStreams(5);
    const p0 = initParams(step.params, streams.stream("a"));
    const p1 = initParams(step.params, streams.stream("b"));
    const x = Float32Array.from({ length: 16 }, (_, i) => ((i * 7) % 11) / 5 - 1);
    const y = Float32Array.of(0, 2, 1, 1);
    const both = new ReplicaTrainer(step, repopsBackend, 2, new Map(step.params.map((p) => [p.name, concat([p0.get(p.name)!, p1.get(p.name)!])])));
    const one = new ReplicaTrainer(step, repopsBackend, 1, p1);
    const rb = both.run({ x, y }, 0.1, { record: true }).result;
    const r1 = one.run({ x: x.subarray(8), y: y.subarray(2) }, 0.1, { record: true }).result;
    expect(nodeHashes(rb.values!, 2, 1).map(toHex)).toEqual(nodeHashes(r1.values!).map(toHex));
  });
});

describe("data-parallel split step", () => {
  test("gradient step then update step == the fused training step, bit for bit (seed 21)", () => {
    const cfg = { inDim: 5, hidden: [7], classes: 3, batch: 4 };
    const model = (g: import("./graph.ts").Graph) => buildMlp(g, cfg);
    const opt = { kind: "adamw" as const, weightDecay: 0.05 };
    const fused = buildTrainStep(model, opt);
    const gradStep = buildTrainStep(model, null);
    const update = buildUpdateStep(gradStep.params, opt);
    const streams = new RngStreams(21);
    const init = initParams(fused.params, streams.stream("init"));
    const mix = new GaussianMixture({ classes: 3, dim: 5, separation: 1 }, streams.stream("mix"));
    const a = new ReplicaTrainer(fused, repopsBackend, 2, init);
    const grads = new ReplicaTrainer(gradStep, repopsBackend, 2, init);
    const upd = new ReplicaTrainer(update, repopsBackend, 2, init);
    for (let s = 0; s < 4; s++) {
      const d = { ...mix.sample(8, streams.stream("d", s)) };
      a.run(d, 0.02);
      const g = grads.run(d, 0.02).result.outputs;
      upd.run(Object.fromEntries(gradStep.params.map((p) => [gradName(p.name), g.get(gradName(p.name))!])), 0.02);
      for (const p of gradStep.params) grads.setState(p.name, upd.state.get(p.name)!);
    }
    expect([upd.replicaHash(0), upd.replicaHash(1)]).toEqual([a.replicaHash(0), a.replicaHash(1)]);
    expect(grads.t).toBe(0);
    expect(upd.t).toBe(4);
  });
});

describe("runResidentSteps (state resident on the backend between steps)", () => {
  /** K replicas, `steps` steps, per-replica lr; data drawn per (replica, step). */
  function setup(seed: number, K: number, activation: "relu" | "gelu") {
    const cfg = { inDim: 5, hidden: [7], classes: 3, batch: 4, activation };
    const step = buildTrainStep((g) => buildMlp(g, cfg), { kind: "adamw", weightDecay: 0.02 });
    const streams = new RngStreams(seed);
    const inits = Array.from({ length: K }, (_, r) => initParams(step.params, streams.stream("init", r)));
    const joined = new Map(step.params.map((p) => [p.name, concat(inits.map((m) => m.get(p.name)!))]));
    const mix = new GaussianMixture({ classes: 3, dim: 5, separation: 1 }, streams.stream("mix"));
    const data = Array.from({ length: 4 }, (_, s) => {
      const per = Array.from({ length: K }, (_, r) => mix.sample(4, new RngStreams(seed).stream("data", r, s)));
      return { x: concat(per.map((d) => d.x)), y: concat(per.map((d) => d.y)) };
    });
    const lrs = Float32Array.from({ length: K }, (_, r) => 0.02 / (r + 1));
    return { step, joined, data, lrs };
  }

  test("4 resident steps == 4 executeGraph steps (ReplicaTrainer.run), every parameter, moment and loss bit for bit (seed 31)", () => {
    const K = 3;
    const { step, joined, data, lrs } = setup(31, K, "relu");
    const ref = new ReplicaTrainer(step, repopsBackend, K, joined);
    const refLoss: Float32Array[] = [];
    for (const d of data) refLoss.push(ref.run(d, lrs).loss);
    const state = new Map<string, Float32Array>();
    const start = new ReplicaTrainer(step, repopsBackend, K, joined);
    for (const [k, v] of start.state) state.set(k, v);
    const width = optimizerHyper(step.optimizer!, 1, 0).length;
    const losses: Float32Array[] = [];
    const held = repopsArena().residentBytes();
    runResidentSteps(step, repopsBackend, K, state, data.length, (k) => {
      const hp = new Float32Array(width * K);
      for (let r = 0; r < K; r++) hp.set(optimizerHyper(step.optimizer!, k + 1, lrs[r]), r * width);
      return { ...data[k], [HYPER_INPUT]: hp };
    }, (k, loss) => losses.push(loss));
    expect(losses.map((l) => Array.from(l))).toEqual(refLoss.map((l) => Array.from(l)));
    for (const [name, v] of ref.state) expect(Array.from(state.get(name)!)).toEqual(Array.from(v));
    // The run moved the weights (a step that did nothing would also compare equal).
    expect(Array.from(state.get("mlp.0.w")!)).not.toEqual(Array.from(joined.get("mlp.0.w")!));
    // Nothing left resident: the repops arena holds what it held before.
    expect(repopsArena().residentBytes()).toBe(held);
  });

  test("property: over 4 seeds, 1..4 replicas, relu and gelu, resident == executeGraph (twin of the seed-31 test)", () => {
    for (let seed = 50; seed < 54; seed++) {
      const K = 1 + (seed % 4);
      const { step, joined, data, lrs } = setup(seed, K, seed % 2 ? "gelu" : "relu");
      const ref = new ReplicaTrainer(step, repopsBackend, K, joined);
      for (const d of data) ref.run(d, lrs);
      const state = new Map(new ReplicaTrainer(step, repopsBackend, K, joined).state);
      const width = optimizerHyper(step.optimizer!, 1, 0).length;
      runResidentSteps(step, repopsBackend, K, state, data.length, (k) => {
        const hp = new Float32Array(width * K);
        for (let r = 0; r < K; r++) hp.set(optimizerHyper(step.optimizer!, k + 1, lrs[r]), r * width);
        return { ...data[k], [HYPER_INPUT]: hp };
      }, () => {});
      expect(toHex(hashConcatState(state, ref))).toBe(toHex(hashConcatState(ref.state, ref)));
    }
  });

  test("a state of the wrong size is refused, naming it and the sizes", () => {
    const { step, joined } = setup(31, 2, "relu");
    const state = new Map(new ReplicaTrainer(step, repopsBackend, 2, joined).state);
    state.set("mlp.0.b", new Float32Array(3));
    expect(() => runResidentSteps(step, repopsBackend, 2, state, 1, () => ({}), () => {})).toThrow("runResidentSteps: state mlp.0.b needs 14 values (2 x [7]), got 3");
  });
});

/** sha256 over every parameter and state of `t`'s step, in declaration order, taken from `state`. */
function hashConcatState(state: ReadonlyMap<string, Float32Array>, t: ReplicaTrainer): Uint8Array {
  return hashConcat([...t.step.params.map((p) => p.name), ...t.step.states].map((n) => hashTensor(state.get(n)!)));
}
