// The repops backend keeps values resident in wasm memory: exact results for edge values, every
// block freed after a graph (also when an op throws), reshape aliases shared safely.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { GaussianMixture } from "../data/gaussianMixture.ts";
import { executeGraph } from "../execute.ts";
import { Graph } from "../graph.ts";
import { initParams } from "../model.ts";
import { buildMlp } from "../models/mlp.ts";
import { ReplicaTrainer } from "../replicaTrainer.ts";
import { exp32, log32 } from "../repops/math32.ts";
import { reluGradRef, reluRef } from "../repops/reference.ts";
import { repopsArena } from "../repops/repopsWasm.ts";
import { buildTrainStep } from "../trainStep.ts";
import { repopsBackend } from "./repops.ts";

const bits = (x: Float32Array) => [...new Uint32Array(x.buffer, x.byteOffset, x.length)];
const fromBits = (b: number[]) => new Float32Array(Uint32Array.from(b).buffer);

// +0, -0, smallest subnormals, 1, -1, max finite, +-Infinity, quiet/signalling NaNs of both signs, 0x7f800001..
const EDGE = fromBits([0, 0x80000000, 1, 0x80000001, 0x3f800000, 0xbf800000, 0x7f7fffff, 0xff7fffff, 0x7f800000,
  0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0xffffffff, 0x00800000, 0x80800000]);

describe("repops backend, resident values", () => {
  test("relu and reluGrad (branch-free on the bits) equal the scalar reference bit for bit on edge values", () => {
    const g = new Graph();
    const x = g.input("x", [EDGE.length]);
    const dy = g.input("dy", [EDGE.length]);
    g.output("y", g.op("relu", [x]));
    g.output("dx", g.op("reluGrad", [dy, x]));
    const dyv = Float32Array.from(EDGE, (_, i) => i + 0.5);
    const out = executeGraph(g, repopsBackend, { x: EDGE, dy: dyv }).outputs;
    expect(bits(out.get("y")!)).toEqual(bits(reluRef(EDGE)));
    expect(bits(out.get("dx")!)).toEqual(bits(reluGradRef(EDGE, dyv)));
    expect(bits(out.get("y")!).filter((b) => b !== 0)).toEqual([1, 0x3f800000, 0x7f7fffff, 0x7f800000, 0x00800000]);
  });

  test("softmaxXent (from wasm logSoftmaxRows) equals the scalar max + log(sum exp) - z[t] bit for bit, ties and signed zeros included", () => {
    const fr = Math.fround;
    const c = 4;
    const rows = [[0, -0, 0, -0], [-0, 0, -0, 0], [-0, -200, -300, 5e-45], [-0, -200, -300, -400], [3, 3, 1, 3],
      [1e30, -1e30, 0, 1e-30], [-80, -90, -100, -85], [0.1, 0.2, 0.3, 0.4], [88, 87.5, -1, 2]];
    const z = Float32Array.from(rows.flat());
    const t = Float32Array.from(rows, (_, r) => r % c);
    const g = new Graph();
    g.output("loss", g.op("softmaxXent", [g.input("z", [rows.length, c]), g.input("t", [rows.length])]));
    const got = executeGraph(g, repopsBackend, { z, t }).outputs.get("loss")!;
    const want = Float32Array.from(rows, (row, r) => {
      let mx = -Infinity;
      for (const v of row) if (fr(v) > mx) mx = fr(v);
      let s = 0;
      for (const v of row) s = fr(s + exp32(fr(fr(v) - mx)));
      return fr(fr(mx + log32(s)) - fr(row[r % c]));
    });
    expect(bits(got)).toEqual(bits(want));
  });

  test("a reshape shares its input's block; both handles dispose once, a third dispose throws", () => {
    const before = repopsArena().residentBytes();
    const v = repopsBackend.upload(Float32Array.of(1, 2, 3, 4), [4], 1);
    const g = new Graph();
    const r = g.node(g.op("reshape", [g.input("x", [4])], { shape: [2, 2] }));
    const alias = repopsBackend.exec(r, [[4]], [v], 1);
    repopsBackend.dispose(v);
    expect([...repopsBackend.download(alias)]).toEqual([1, 2, 3, 4]);
    expect(repopsArena().residentBytes()).toBeGreaterThan(before);
    repopsBackend.dispose(alias);
    expect(repopsArena().residentBytes()).toBe(before);
    expect(() => repopsBackend.dispose(alias)).toThrow(/disposed twice/);
    expect(() => repopsBackend.download(alias)).toThrow(/used after dispose/);
  });

  test("an op that throws frees its output block", () => {
    const g = new Graph();
    g.output("e", g.op("embedding", [g.input("table", [3, 2]), g.input("ids", [1])]));
    const before = repopsArena().residentBytes();
    const table = repopsBackend.upload(new Float32Array(6), [3, 2], 1);
    const ids = repopsBackend.upload(Float32Array.of(7), [1], 1);
    expect(() => repopsBackend.exec(g.node(g.outputs.get("e")!), [[3, 2], [1]], [table, ids], 1)).toThrow(/target\/id 7/);
    repopsBackend.dispose(table);
    repopsBackend.dispose(ids);
    expect(repopsArena().residentBytes()).toBe(before);
  });

  test("300 batched MLP steps (50 replicas) hold no resident memory afterwards and stop growing the wasm memory", () => {
    const streams = new RngStreams(3);
    const cfg = { inDim: 8, hidden: [16], classes: 4, batch: 8 };
    const step = buildTrainStep((g) => buildMlp(g, cfg), { kind: "adamw" });
    const R = 50;
    const trainer = new ReplicaTrainer(step, repopsBackend, R, initParams(step.params, streams.stream("init")));
    const d = new GaussianMixture({ classes: 4, dim: 8, separation: 1 }, streams.stream("mix")).sample(cfg.batch * R, streams.stream("data"));
    const arena = repopsArena();
    const resident0 = arena.residentBytes();
    trainer.run({ x: d.x, y: d.y }, 1e-2);
    const memAfterOne = arena.exports.memory.buffer.byteLength;
    const loss0 = trainer.run({ x: d.x, y: d.y }, 1e-2).loss;
    let loss = loss0;
    for (let i = 0; i < 298; i++) loss = trainer.run({ x: d.x, y: d.y }, 1e-2).loss;
    expect(arena.residentBytes()).toBe(resident0);
    expect(arena.exports.memory.buffer.byteLength).toBe(memAfterOne);
    expect(loss.reduce((a, b) => a + b, 0)).toBeLessThan(loss0.reduce((a, b) => a + b, 0));
  });
});
