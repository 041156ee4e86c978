// The non-reproducible RepOps variants compute the same ops as repops, differing only in rounding:
// exact where no rounding happens, a few ulps apart on realistic inputs, deterministic themselves,
// and refused by the referee (REFERENCE §2, §3).
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { GraphProgram } from "../../verde/graphProgram.ts";
import { getBackend } from "../backend.ts";
import { executeGraph } from "../execute.ts";
import { Graph } from "../graph.ts";
import { initParams } from "../model.ts";
import { buildMlp } from "../models/mlp.ts";
import { buildTrainStep } from "../trainStep.ts";
import { repopsBackend } from "./repops.ts";
import { createRepopsVariantBackend } from "./repopsVariant.ts";
import { matmulVariant } from "./variantKernels.ts";

const fr = Math.fround;
const bits = (x: Float32Array) => [...new Uint32Array(x.buffer, x.byteOffset, x.length)];

function normal(n: number, seed: number, sd = 1): Float32Array {
  const rng = new RngStreams(seed).stream("variant-test");
  return Float32Array.from({ length: n }, () => rng.normal(0, sd));
}

/** y = a b (a [m, k], b [k, n]), s = sumAll(y), mu = meanAll(y), c = sumLeading(y) = column sums. */
function reductions(m: number, k: number, n: number): Graph {
  const g = new Graph();
  const a = g.input("a", [m, k]);
  const b = g.input("b", [k, n]);
  const y = g.op("matmul", [a, b]);
  g.output("y", y);
  g.output("s", g.op("sumAll", [y]));
  g.output("mu", g.op("meanAll", [y]));
  g.output("c", g.op("sumLeading", [y], { shape: [n] }));
  return g;
}

const run = (g: Graph, be: Parameters<typeof executeGraph>[1], feeds: Record<string, Float32Array>) => executeGraph(g, be, feeds).outputs;

describe("repops-fma and repops-tree: the same ops as repops, other rounding", () => {
  test("with no rounding to do (small integers) every variant equals repops exactly", () => {
    const g = reductions(3, 5, 4);
    const a = Float32Array.from({ length: 15 }, (_, i) => (i % 7) - 3);
    const b = Float32Array.from({ length: 20 }, (_, i) => (i % 5) - 2);
    const ref = run(g, repopsBackend, { a, b });
    for (const v of ["fma", "tree"] as const) {
      const out = run(g, createRepopsVariantBackend(v), { a, b });
      for (const name of ["y", "s", "mu", "c"]) expect({ v, name, bits: bits(out.get(name)!) }).toEqual({ v, name, bits: bits(ref.get(name)!) });
    }
    expect([...ref.get("s")!]).toEqual([[...ref.get("y")!].reduce((p, q) => p + q, 0)]);
  });

  test("fma keeps the product unrounded: (-(1+2^-11)) + (1+2^-12)^2 is 2^-24 fused, 0 on repops", () => {
    const g = new Graph();
    g.output("y", g.op("matmul", [g.input("a", [1, 2]), g.input("b", [2, 1])]));
    const x = 1 + 2 ** -12; // x*x = 1 + 2^-11 + 2^-24 exactly; float32 rounds it to 1 + 2^-11 (tie to even)
    const feeds = { a: Float32Array.of(1 + 2 ** -11, x), b: Float32Array.of(-1, x) };
    expect(fr(x * x)).toBe(1 + 2 ** -11);
    expect([...run(g, repopsBackend, feeds).get("y")!]).toEqual([0]);
    expect([...run(g, createRepopsVariantBackend("fma"), feeds).get("y")!]).toEqual([2 ** -24]);
    expect([...run(g, createRepopsVariantBackend("tree"), feeds).get("y")!]).toEqual([0]);
  });

  test("tree adds in pairs: [1, 1e8, -1e8, 1] sums to 1 ascending (repops) and to 0 as (1 + -1e8) + (1e8 + 1)", () => {
    const g = new Graph();
    const x = g.input("x", [4]);
    g.output("s", g.op("sumAll", [x]));
    const feeds = { x: Float32Array.of(1, 1e8, -1e8, 1) };
    expect([...run(g, repopsBackend, feeds).get("s")!]).toEqual([1]);
    expect([...run(g, createRepopsVariantBackend("tree"), feeds).get("s")!]).toEqual([0]);
    expect([...run(g, createRepopsVariantBackend("fma"), feeds).get("s")!]).toEqual([1]); // no multiply to fuse
  });

  test("on realistic inputs (a [32, 64] x b [64, 16], normal) bits differ from repops yet stay within a few float32 ulps", () => {
    const g = reductions(32, 64, 16);
    const feeds = { a: normal(32 * 64, 1), b: normal(64 * 16, 2, 0.125) };
    const ref = run(g, repopsBackend, feeds).get("y")!;
    for (const v of ["fma", "tree"] as const) {
      const y = run(g, createRepopsVariantBackend(v), feeds).get("y")!;
      let differ = 0, worst = 0, scale = 0;
      for (let i = 0; i < ref.length; i++) {
        if (y[i] !== ref[i]) differ++;
        worst = Math.max(worst, Math.abs(y[i] - ref[i]));
        scale = Math.max(scale, Math.abs(ref[i]));
      }
      console.log(`repops-${v} vs repops, matmul 32x64x16: ${differ}/${ref.length} outputs differ, max |diff| / max |y| = ${(worst / scale).toExponential(2)}`);
      expect(differ).toBeGreaterThan(ref.length / 4);
      expect(worst / scale).toBeGreaterThan(0);
      expect(worst / scale).toBeLessThan(1e-5);
    }
  });

  test("deterministic: the same call twice, and two fresh instances, give the same bits", () => {
    const g = reductions(16, 48, 8);
    const feeds = { a: normal(16 * 48, 3), b: normal(48 * 8, 4) };
    for (const v of ["fma", "tree"] as const) {
      const one = createRepopsVariantBackend(v), two = createRepopsVariantBackend(v);
      expect(one).not.toBe(two);
      const first = run(g, one, feeds), again = run(g, one, feeds), other = run(g, two, feeds);
      for (const name of ["y", "s", "mu", "c"]) {
        expect(bits(again.get(name)!)).toEqual(bits(first.get(name)!));
        expect(bits(other.get(name)!)).toEqual(bits(first.get(name)!));
      }
    }
  });

  test("registered by name, not reproducible, and the referee refuses them", async () => {
    for (const name of ["repops-fma", "repops-tree"]) {
      const be = await getBackend(name);
      expect(be.name).toBe(name);
      expect(be.reproducible).toBe(false);
      const train = buildTrainStep((g) => buildMlp(g, { inDim: 4, hidden: [3], classes: 2, batch: 2 }), { kind: "adamw" });
      const initialParams = initParams(train.params, new RngStreams(1).stream("init"));
      const batch = () => ({ x: new Float32Array(8), y: new Float32Array(2) });
      expect(() => new GraphProgram({ name: "p", train, backend: be, reference: be, steps: 2, initialParams, batch })).toThrow(`the referee backend ${name} is not reproducible`);
      expect(new GraphProgram({ name: "p", train, backend: be, steps: 2, initialParams, batch }).backend).toBe(name);
    }
  });

  test("a matmul operand of the wrong size is refused, naming the counts", () => {
    const d = { batch: 2, m: 2, k: 3, n: 2, transA: false, transB: false };
    expect(() => matmulVariant("fma", new Float32Array(7), new Float32Array(6), d, new Float32Array(8))).toThrow("a has 7 values, expected 6 or 12");
    expect(() => matmulVariant("tree", new Float32Array(12), new Float32Array(5), d, new Float32Array(8))).toThrow("b has 5 values, expected 6 or 12");
  });
});
