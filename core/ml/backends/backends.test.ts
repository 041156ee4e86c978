// Every backend computes the same values within float tolerance: every node of a transformer
// training step (AdamW), an MLP step (ReLU) and a Nesterov update, recorded on each backend
// and compared with repops. Also: the registry refuses unknown names.
import { describe, expect, test } from "bun:test";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { RngStreams } from "../../des/rng.ts";
import { type Backend, backendNames, getBackend } from "../backend.ts";
import { MarkovCorpus } from "../data/markovCorpus.ts";
import { executeGraph } from "../execute.ts";
import { buildMlp } from "../models/mlp.ts";
import { buildTransformerLM } from "../models/transformer.ts";
import { HYPER_INPUT, optimizerHyper } from "../optimizers.ts";
import { sizeOf } from "../tensor.ts";
import { type TrainStepGraph, buildTrainStep, buildUpdateStep } from "../trainStep.ts";

const wasmDir = `${join(dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist")}/`;
const R = 2;

/** Feeds for R replicas: params from distinct streams, state and data given. */
function feedsFor(step: TrainStepGraph, data: Record<string, Float32Array>, seed: number): Map<string, Float32Array> {
  const streams = new RngStreams(seed);
  const feeds = new Map<string, Float32Array>();
  for (const n of step.graph.inputNodes) {
    const size = sizeOf(n.shape);
    const v = new Float32Array(size * R);
    const rng = streams.stream("feed", n.name!);
    if (n.kind === "param" || n.kind === "state" || (n.kind === "data" && !(n.name! in data))) for (let i = 0; i < v.length; i++) v[i] = rng.normal(0, n.kind === "state" ? 0.01 : 0.5);
    if (n.kind === "state" && n.name!.startsWith("opt.v.")) for (let i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);
    feeds.set(n.name!, v);
  }
  for (const [k, v] of Object.entries(data)) feeds.set(k, v);
  if (step.optimizer) feeds.set(HYPER_INPUT, optimizerHyper(step.optimizer, 3, 0.01));
  return feeds;
}

function worstNode(step: TrainStepGraph, be: Backend, feeds: Map<string, Float32Array>, ref: Float32Array[]): { id: number; op: string; err: number } {
  const got = executeGraph(step.graph, be, feeds, { replicas: R, record: true }).values!;
  let worst = { id: -1, op: "", err: 0 };
  for (let id = 0; id < ref.length; id++) {
    const a = got[id], b = ref[id];
    let scale = 1e-3;
    for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
    let err = 0;
    for (let i = 0; i < b.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]) / scale);
    if (a.length !== b.length) err = Infinity;
    if (err > worst.err) worst = { id, op: step.graph.nodes[id].op, err };
  }
  return worst;
}

function cases(): { name: string; step: TrainStepGraph; feeds: Map<string, Float32Array> }[] {
  const cfg = { vocab: 7, context: 6, width: 16, heads: 2, layers: 2, batch: 3 };
  const lm = buildTrainStep((g) => buildTransformerLM(g, cfg), { kind: "adamw", weightDecay: 0.1 });
  const w = new MarkovCorpus({ vocab: 7, order: 2, concentration: 0.5 }, new RngStreams(1).stream("c")).sample(cfg.batch * R, cfg.context, new RngStreams(1).stream("d"));
  const mlp = buildTrainStep((g) => buildMlp(g, { inDim: 5, hidden: [9], classes: 4, batch: 6 }), { kind: "adamw" });
  const y = Float32Array.from({ length: 6 * R }, (_, i) => i % 4);
  const upd = buildUpdateStep(initParamsSpecs(), { kind: "nesterov", momentum: 0.9 });
  const updFeeds = feedsFor(upd, {}, 3);
  updFeeds.set(HYPER_INPUT, Float32Array.of(0.7, 0.5));
  return [
    { name: "transformer step (AdamW)", step: lm, feeds: feedsFor(lm, { tokens: w.tokens, targets: w.targets }, 1) },
    { name: "MLP step (ReLU, AdamW)", step: mlp, feeds: feedsFor(mlp, { y }, 2) },
    { name: "Nesterov update", step: upd, feeds: updFeeds },
  ];
}

function initParamsSpecs() {
  return [{ name: "w", shape: [4, 3], init: { kind: "zeros" as const } }, { name: "b", shape: [3], init: { kind: "zeros" as const } }];
}

describe("backends agree with repops within float tolerance", () => {
  for (const name of ["tfjs-cpu", "tfjs-wasm", "repops-fma", "repops-tree"]) {
    test(`${name}: every node of every case within 1e-4 of repops (relative to the tensor's scale)`, async () => {
      const be = await getBackend(name, { wasmDir });
      const repops = await getBackend("repops");
      for (const c of cases()) {
        const ref = executeGraph(c.step.graph, repops, c.feeds, { replicas: R, record: true }).values!;
        const worst = worstNode(c.step, be, c.feeds, ref);
        expect({ case: c.name, ok: worst.err < 1e-4 }).toEqual({ case: c.name, ok: true });
      }
    }, 60_000);
  }
});

describe("tfjs value lifetimes", () => {
  test("an op that uses one input twice, and a reshape of an input, run and free cleanly on tfjs-cpu", async () => {
    const { Graph } = await import("../graph.ts");
    const be = await getBackend("tfjs-cpu", { wasmDir });
    const g = new Graph();
    const x = g.input("x", [2, 2]);
    const sq = g.op("mul", [x, x]);
    g.output("y", g.op("add", [g.op("reshape", [sq], { shape: [4] }), g.op("reshape", [x], { shape: [4] })]));
    const y = executeGraph(g, be, { x: Float32Array.of(1, -2, 3, 0.5) }, { replicas: 1 }).outputs.get("y")!;
    expect([...y]).toEqual([2, 2, 12, 0.75]);
  });
});

describe("registry", () => {
  test("lists the built-in backends and refuses an unknown name", async () => {
    expect(backendNames()).toEqual(["repops", "repops-fma", "repops-tree", "tfjs-cpu", "tfjs-wasm", "webgpu"]);
    await expect(getBackend("cuda")).rejects.toThrow(/unknown ML backend "cuda"; known: repops, repops-fma, repops-tree, tfjs-cpu, tfjs-wasm, webgpu/);
  });
  test("tfjs-wasm without its binary directory says what is missing", async () => {
    const { createTfjsBackend } = await import("./tfjs.ts");
    await expect(createTfjsBackend("wasm", {})).rejects.toThrow(/needs options.wasmDir/);
  });
  test("the repops backend is the same instance every time", async () => {
    expect(await getBackend("repops")).toBe(await getBackend("repops"));
    expect((await getBackend("repops")).reproducible).toBe(true);
  });
});
