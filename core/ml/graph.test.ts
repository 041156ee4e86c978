// The graph IR: ids are topological positions, shapes are inferred, misuse is refused loudly.
import { describe, expect, test } from "bun:test";
import { gradients } from "./autodiff.ts";
import { Graph } from "./graph.ts";

describe("Graph", () => {
  test("every node's inputs come before it, forward and backward alike", () => {
    const g = new Graph();
    const x = g.input("x", [4, 3]);
    const w = g.input("w", [3, 2], "param");
    const loss = g.op("meanAll", [g.op("gelu", [g.op("matmul", [x, w])])]);
    gradients(g, loss, [w]);
    for (const n of g.nodes) for (const i of n.inputs) expect(i).toBeLessThan(n.id);
    expect(g.nodes.map((n) => n.id)).toEqual(g.nodes.map((_, i) => i));
    expect(g.describe().split("\n")[2]).toBe("2 matmul (0,1) [4,2]");
  });
  test("shape mismatches name the op and the shapes", () => {
    const g = new Graph();
    const a = g.input("a", [2, 3]);
    const b = g.input("b", [4, 5]);
    expect(() => g.op("matmul", [a, b])).toThrow("op matmul: inner dimensions differ (transA=false, transB=false) (input shapes [2,3] [4,5])");
    expect(() => g.op("add", [a, b])).toThrow(/second input's shape must be a suffix/);
    expect(() => g.op("reshape", [a], { shape: [5] })).toThrow(/cannot reshape to 5/);
    expect(() => g.op("relu", [a, b])).toThrow("Graph.op: relu takes 1 inputs, got 2");
    expect(() => g.op("relu", [9])).toThrow("Graph.op: relu input id 9 does not exist");
    expect(() => g.input("a", [1])).toThrow("Graph: duplicate node name a");
    expect(() => g.input("z", [0, 2])).toThrow(/bad shape \[0,2\]/);
  });
  test("broadcast, sumLeading and transpose infer their shapes", () => {
    const g = new Graph();
    const a = g.input("a", [2, 3, 4]);
    expect(g.shapeOf(g.op("transpose", [a], { perm: [2, 0, 1] }))).toEqual([4, 2, 3]);
    expect(g.shapeOf(g.op("sumLeading", [a], { shape: [3, 4] }))).toEqual([3, 4]);
    expect(g.shapeOf(g.op("broadcast", [g.input("b", [4])], { shape: [5, 4] }))).toEqual([5, 4]);
    expect(g.shapeOf(g.op("matmul", [a, g.input("c", [2, 5, 4])], { transB: true }))).toEqual([2, 3, 5]);
  });
});
