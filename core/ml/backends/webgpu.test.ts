// The webgpu backend (tfjs-backend-webgpu on Dawn; Mesa llvmpipe through OpenGL ES on a machine
// without a GPU) computes what repops computes within float tolerance on every node of a
// transformer and an MLP training step, and training on it reduces the loss. The test plays the
// application's part: sim/ml/webgpuDevice.ts opens the device (core/ does no I/O).
import { describe, expect, test } from "bun:test";
import { openWebgpuChannel } from "../../../sim/ml/webgpuDevice.ts";
import { RngStreams } from "../../des/rng.ts";
import { type Backend, getBackend } from "../backend.ts";
import { GaussianMixture } from "../data/gaussianMixture.ts";
import { MarkovCorpus } from "../data/markovCorpus.ts";
import { executeGraph } from "../execute.ts";
import { initParams } from "../model.ts";
import { buildMlp } from "../models/mlp.ts";
import { buildTransformerLM } from "../models/transformer.ts";
import { HYPER_INPUT, optimizerHyper } from "../optimizers.ts";
import { ReplicaTrainer } from "../replicaTrainer.ts";
import { sizeOf } from "../tensor.ts";
import { type TrainStepGraph, buildTrainStep } from "../trainStep.ts";
import { createWebgpuBackend } from "./webgpu.ts";

const R = 2;
const webgpu = () => getBackend("webgpu", { openWebgpu: openWebgpuChannel });

function feedsFor(step: TrainStepGraph, data: Record<string, Float32Array>, seed: number): Map<string, Float32Array> {
  const streams = new RngStreams(seed);
  const feeds = new Map<string, Float32Array>();
  for (const n of step.graph.inputNodes) {
    const v = new Float32Array(sizeOf(n.shape) * R);
    const rng = streams.stream("feed", n.name!);
    if (!(n.name! in data)) for (let i = 0; i < v.length; i++) v[i] = rng.normal(0, n.kind === "state" ? 0.01 : 0.5);
    if (n.kind === "state" && n.name!.startsWith("opt.v.")) for (let i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);
    feeds.set(n.name!, v);
  }
  for (const [k, v] of Object.entries(data)) feeds.set(k, v);
  if (step.optimizer) feeds.set(HYPER_INPUT, optimizerHyper(step.optimizer, 3, 0.01));
  return feeds;
}

/** Largest difference to repops over every recorded node, relative to each tensor's scale. */
function worstNode(step: TrainStepGraph, be: Backend, ref: Backend, feeds: Map<string, Float32Array>): { id: number; op: string; err: number; nodes: number } {
  const want = executeGraph(step.graph, ref, feeds, { replicas: R, record: true }).values!;
  const got = executeGraph(step.graph, be, feeds, { replicas: R, record: true }).values!;
  let worst = { id: -1, op: "", err: 0, nodes: want.length };
  for (let id = 0; id < want.length; id++) {
    const a = got[id], b = want[id];
    let scale = 1e-3;
    for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
    let err = a.length === b.length ? 0 : Infinity;
    for (let i = 0; i < b.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]) / scale);
    if (!(err <= worst.err)) worst = { id, op: step.graph.nodes[id].op, err, nodes: want.length };
  }
  return worst;
}

describe("webgpu backend (Dawn)", () => {
  test("opens a real adapter, never Dawn's null backend", async () => {
    const ch = await openWebgpuChannel();
    expect(ch.adapter).not.toMatch(/null/i);
    expect(ch.adapter.length).toBeGreaterThan(0);
    const be = await webgpu();
    expect([be.name, be.reproducible]).toEqual(["webgpu", false]);
  }, 60_000);

  test("every node of a transformer step (AdamW) and an MLP step (ReLU) is within 1e-4 of repops, every op on the GPU", async () => {
    const [be, repops] = [await webgpu(), await getBackend("repops")];
    const ch = await openWebgpuChannel();
    const before = ch.stats!();
    const cfg = { vocab: 7, context: 6, width: 16, heads: 2, layers: 2, batch: 3 };
    const lm = buildTrainStep((g) => buildTransformerLM(g, cfg), { kind: "adamw", weightDecay: 0.1 });
    const w = new MarkovCorpus({ vocab: 7, order: 2, concentration: 0.5 }, new RngStreams(1).stream("c")).sample(cfg.batch * R, cfg.context, new RngStreams(1).stream("d"));
    const mlp = buildTrainStep((g) => buildMlp(g, { inDim: 5, hidden: [9], classes: 4, batch: 6 }), { kind: "adamw" });
    const y = Float32Array.from({ length: 6 * R }, (_, i) => i % 4);
    const results = [
      { case: "transformer", ...worstNode(lm, be, repops, feedsFor(lm, { tokens: w.tokens, targets: w.targets }, 1)) },
      { case: "mlp", ...worstNode(mlp, be, repops, feedsFor(mlp, { y }, 2)) },
    ];
    console.log(`webgpu vs repops, worst relative error per case: ${results.map((r) => `${r.case} ${r.err.toExponential(2)} at node ${r.id} (${r.op}) of ${r.nodes}`).join("; ")}`);
    expect(results.map((r) => ({ case: r.case, ok: r.err < 1e-4 }))).toEqual([{ case: "transformer", ok: true }, { case: "mlp", ok: true }]);
    const after = ch.stats!();
    const execs = after.execs - before.execs;
    console.log(`webgpu: ${execs} ops, ${after.dispatches - before.dispatches} GPU dispatches, ${after.cpuForwards - before.cpuForwards} CPU forwards; dispatches by op ${JSON.stringify(after.dispatchesByOp)}`);
    // Most of these tensors have < 1000 elements: with tfjs-backend-webgpu's default (WEBGPU_CPU_FORWARD)
    // they would run on its CPU kernels. Every result must sit in a GPU buffer, no kernel may have been
    // let onto the CPU, and the GPU must have done real work (a dispatch for most ops).
    expect({ flag: after.cpuForwardFlag, cpuForwards: after.cpuForwards - before.cpuForwards, offGpu: after.offGpu }).toEqual({ flag: false, cpuForwards: 0, offGpu: [] });
    expect(execs).toBeGreaterThan(250); // 285 ops (the rest of the 396 nodes are inputs)
    expect(after.dispatches - before.dispatches).toBeGreaterThan(execs / 2);
  }, 60_000);

  test("training an MLP on webgpu reduces the loss", async () => {
    const be = await webgpu();
    const streams = new RngStreams(7);
    const cfg = { inDim: 8, hidden: [16], classes: 3, batch: 32 };
    const step = buildTrainStep((g) => buildMlp(g, cfg), { kind: "adamw" });
    const mix = new GaussianMixture({ classes: 3, dim: 8, separation: 2 }, streams.stream("mix"));
    const trainer = new ReplicaTrainer(step, be, 1, initParams(step.params, streams.stream("init")));
    const losses: number[] = [];
    for (let s = 0; s < 30; s++) {
      const d = mix.sample(cfg.batch, streams.stream("data", s));
      losses.push(trainer.run({ x: d.x, y: d.y }, 0.02).loss[0]);
    }
    const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(mean(losses.slice(-5))).toBeLessThan(0.6 * mean(losses.slice(0, 5)));
  }, 60_000);

  test("without a device opener the backend says what is missing", async () => {
    await expect(createWebgpuBackend({})).rejects.toThrow(/needs options.openWebgpu/);
  });

  test("an op the device side rejects surfaces at the next download with the node named", async () => {
    const be = await webgpu();
    const x = be.upload(Float32Array.of(1, 2), [2], 1);
    const bad = be.exec({ id: 99, op: "nonexistentOp" as never, inputs: [0], attrs: {}, shape: [2] }, [[2]], [x], 1);
    expect(() => be.download(bad)).toThrow(/op nonexistentOp \(node 99\)/);
    expect([...be.download(x)]).toEqual([1, 2]); // reported once: the device keeps working
  }, 60_000);
});
