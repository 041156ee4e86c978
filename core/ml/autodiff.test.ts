// Gradient checks: every differentiable op's backward (run on repops in float32) against
// central finite differences of a float64 reference forward.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/rng.ts";
import { gradients } from "./autodiff.ts";
import { repopsBackend } from "./backends/repops.ts";
import { executeGraph } from "./execute.ts";
import { Graph } from "./graph.ts";
import { evaluate64 } from "./reference64.ts";
import { type Shape, sizeOf } from "./tensor.ts";

interface Case {
  /** Differentiable inputs and their shapes. */
  params: Record<string, Shape>;
  /** Integer data inputs: name -> [shape, exclusive max]. */
  ints?: Record<string, [Shape, number]>;
  build(g: Graph, ids: Record<string, number>): number;
}

const CASES: Record<string, Case> = {
  "matmul": { params: { a: [2, 3, 4], b: [2, 4, 5] }, build: (g, i) => g.op("matmul", [i.a, i.b]) },
  "matmul transA": { params: { a: [2, 4, 3], b: [2, 4, 5] }, build: (g, i) => g.op("matmul", [i.a, i.b], { transA: true }) },
  "matmul transB": { params: { a: [3, 4], b: [5, 4] }, build: (g, i) => g.op("matmul", [i.a, i.b], { transB: true }) },
  "matmul transA transB": { params: { a: [4, 3], b: [5, 4] }, build: (g, i) => g.op("matmul", [i.a, i.b], { transA: true, transB: true }) },
  "add": { params: { a: [3, 4], b: [3, 4] }, build: (g, i) => g.op("add", [i.a, i.b]) },
  "add bias broadcast": { params: { a: [2, 3, 4], b: [4] }, build: (g, i) => g.op("add", [i.a, i.b]) },
  "sub broadcast": { params: { a: [2, 3, 4], b: [3, 4] }, build: (g, i) => g.op("sub", [i.a, i.b]) },
  "mul broadcast": { params: { a: [3, 4], b: [4] }, build: (g, i) => g.op("mul", [i.a, i.b]) },
  "mul of a node with itself": { params: { a: [5] }, build: (g, i) => g.op("mul", [i.a, i.a]) },
  "scale": { params: { a: [6] }, build: (g, i) => g.op("scale", [i.a], { s: -0.37 }) },
  "relu": { params: { a: [3, 5] }, build: (g, i) => g.op("relu", [i.a]) },
  "gelu": { params: { a: [3, 5] }, build: (g, i) => g.op("gelu", [i.a]) },
  "layernorm": { params: { x: [3, 6], gamma: [6], beta: [6] }, build: (g, i) => g.op("layernorm", [i.x, i.gamma, i.beta], { eps: 1e-5 }) },
  "softmaxXent": {
    params: { z: [4, 5] },
    ints: { t: [[4], 5] },
    build: (g, i) => g.op("softmaxXent", [i.z, i.t]),
  },
  "embedding": { params: { table: [7, 3] }, ints: { ids: [[2, 4], 7] }, build: (g, i) => g.op("embedding", [i.table, i.ids]) },
  "causalSoftmax": { params: { s: [2, 4, 4] }, build: (g, i) => g.op("causalSoftmax", [i.s]) },
  "reshape": { params: { a: [2, 6] }, build: (g, i) => g.op("reshape", [i.a], { shape: [3, 4] }) },
  "transpose": { params: { a: [2, 3, 4] }, build: (g, i) => g.op("transpose", [i.a], { perm: [2, 0, 1] }) },
  "sumAll": { params: { a: [3, 4] }, build: (g, i) => g.op("sumAll", [i.a]) },
  "meanAll": { params: { a: [3, 4] }, build: (g, i) => g.op("meanAll", [i.a]) },
  "sumLeading": { params: { a: [2, 3, 4] }, build: (g, i) => g.op("sumLeading", [i.a], { shape: [4] }) },
  "broadcast": { params: { a: [4] }, build: (g, i) => g.op("broadcast", [i.a], { shape: [3, 4] }) },
};

function check(name: string, c: Case, seed: number) {
  const rng = new RngStreams(seed).stream("gradcheck", name);
  const g = new Graph();
  const ids: Record<string, number> = {};
  const f32 = new Map<string, Float32Array>();
  for (const [p, shape] of Object.entries(c.params)) {
    ids[p] = g.input(p, shape, "param");
    f32.set(p, Float32Array.from({ length: sizeOf(shape) }, () => rng.normal()));
  }
  for (const [p, [shape, max]] of Object.entries(c.ints ?? {})) {
    ids[p] = g.input(p, shape, "data");
    f32.set(p, Float32Array.from({ length: sizeOf(shape) }, () => rng.int(max)));
  }
  const y = c.build(g, ids);
  const w = g.input("w", g.shapeOf(y), "data");
  f32.set("w", Float32Array.from({ length: sizeOf(g.shapeOf(y)) }, () => rng.normal()));
  const loss = g.op("sumAll", [g.op("mul", [y, w])]);
  const names = Object.keys(c.params);
  const grads = gradients(g, loss, names.map((p) => ids[p]));
  names.forEach((p) => g.output(`grad:${p}`, grads.get(ids[p])!));
  const analytic = executeGraph(g, repopsBackend, f32).outputs;

  const f64 = new Map([...f32].map(([k, v]) => [k, Float64Array.from(v)]));
  const h = 1e-5;
  let worst = 0;
  for (const p of names) {
    const x = f64.get(p)!;
    const an = analytic.get(`grad:${p}`)!;
    for (let i = 0; i < x.length; i++) {
      const x0 = x[i];
      x[i] = x0 + h;
      const lp = evaluate64(g, f64, loss)[loss][0];
      x[i] = x0 - h;
      const lm = evaluate64(g, f64, loss)[loss][0];
      x[i] = x0;
      const num = (lp - lm) / (2 * h);
      worst = Math.max(worst, Math.abs(an[i] - num) / (1 + Math.abs(num)));
    }
  }
  return worst;
}

describe("gradients match float64 finite differences", () => {
  for (const [name, c] of Object.entries(CASES)) {
    test(`${name} (seed 7)`, () => {
      expect(check(name, c, 7)).toBeLessThan(2e-4);
    });
  }
  test("every case holds over many seeds", () => {
    let worst = 0;
    for (let seed = 100; seed < 106; seed++) for (const [name, c] of Object.entries(CASES)) worst = Math.max(worst, check(name, c, seed));
    expect(worst).toBeLessThan(2e-4);
  }, 30_000);
});

describe("gradients", () => {
  test("a parameter the loss ignores gets a zero gradient", () => {
    const g = new Graph();
    const a = g.input("a", [3], "param");
    const b = g.input("b", [2], "param");
    const loss = g.op("sumAll", [a]);
    const gr = gradients(g, loss, [a, b]);
    g.output("gb", gr.get(b)!);
    const out = executeGraph(g, repopsBackend, { a: Float32Array.of(1, 2, 3), b: Float32Array.of(4, 5) }).outputs;
    expect([...out.get("gb")!]).toEqual([0, 0]);
  });
  test("a non-scalar loss is refused", () => {
    const g = new Graph();
    const a = g.input("a", [3], "param");
    expect(() => gradients(g, a, [a])).toThrow(/must be a scalar/);
  });
});
