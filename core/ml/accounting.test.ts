// Accounting: FLOP counts of known ops, and the usual backward ~ 2 x forward for matmul models.
import { describe, expect, test } from "bun:test";
import { graphCost, nodeCost, stepCost } from "./accounting.ts";
import { Graph } from "./graph.ts";
import { buildMlp } from "./models/mlp.ts";
import { buildTransformerLM } from "./models/transformer.ts";
import { buildTrainStep } from "./trainStep.ts";

describe("accounting", () => {
  test("a [2,3,4] x [2,4,5] matmul is 2*2*3*4*5 FLOPs and moves (24+40+30)*4 bytes", () => {
    const g = new Graph();
    const mm = g.op("matmul", [g.input("a", [2, 3, 4]), g.input("b", [2, 4, 5])]);
    expect(nodeCost(g, mm)).toEqual({ flops: 240, bytes: 376 });
    expect(graphCost(g).byOp).toEqual([{ op: "matmul", count: 1, flops: 240, bytes: 376 }]);
  });
  test("MLP step: forward matmul FLOPs are 2 x batch x weights; backward about twice forward", () => {
    const step = buildTrainStep((g) => buildMlp(g, { inDim: 10, hidden: [20], classes: 3, batch: 8 }), { kind: "adamw" });
    const c = stepCost(step);
    expect(c.params).toBe(10 * 20 + 20 + 20 * 3 + 3);
    expect(c.paramBytes).toBe(4 * c.params);
    const matmul = graphCost(step.graph, 0, step.phases.forwardEnd).byOp.find((o) => o.op === "matmul")!;
    expect(matmul.flops).toBe(2 * 8 * (10 * 20 + 20 * 3));
    expect(c.backward.flops / c.forward.flops).toBeGreaterThan(1.5);
    expect(c.backward.flops / c.forward.flops).toBeLessThan(2.5);
    expect(c.update.flops).toBe((3 + 4 + 8) * c.params);
  });
  test("transformer step: total FLOPs near 6 x params x tokens plus attention", () => {
    const cfg = { vocab: 16, context: 16, width: 32, heads: 2, layers: 2, batch: 4 };
    const c = stepCost(buildTrainStep((g) => buildTransformerLM(g, cfg), { kind: "adamw" }));
    const tokens = cfg.batch * cfg.context;
    const matmulParams = 2 * (4 * 32 * 32 + 2 * 32 * 128) + 32 * 16;
    const ratio = (c.forward.flops + c.backward.flops) / (6 * matmulParams * tokens);
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(1.5);
  });
});
