// Optimizer update nodes against their float64 formulas (AdamW; SGD with Nesterov momentum).
import { describe, expect, test } from "bun:test";
import { repopsBackend } from "./backends/repops.ts";
import { executeGraph } from "./execute.ts";
import { Graph } from "./graph.ts";
import { HYPER_INPUT, appendOptimizer, nextName, optimizerHyper, stateName } from "./optimizers.ts";

const p = Float32Array.of(0.5, -1.25, 2);
const grad = Float32Array.of(0.1, -0.3, 0.02);

function graphFor(kind: "adamw" | "nesterov") {
  const g = new Graph();
  const id = g.input("w", [3], "param");
  const gr = g.input("gw", [3], "data");
  const cfg = kind === "adamw" ? ({ kind, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 } as const) : ({ kind, momentum: 0.9 } as const);
  appendOptimizer(g, new Map([["w", { id, grad: gr }]]), cfg);
  return { g, cfg };
}

describe("AdamW update", () => {
  test("step 3 from nonzero moments matches the float64 formula", () => {
    const { g, cfg } = graphFor("adamw");
    const m = Float32Array.of(0.01, 0.02, -0.03);
    const v = Float32Array.of(0.001, 0.0005, 0.002);
    const out = executeGraph(g, repopsBackend, { w: p, gw: grad, [stateName("m", "w")]: m, [stateName("v", "w")]: v, [HYPER_INPUT]: optimizerHyper(cfg, 3, 0.01) }).outputs;
    for (let i = 0; i < 3; i++) {
      const m2 = 0.9 * m[i] + 0.1 * grad[i];
      const v2 = 0.99 * v[i] + 0.01 * grad[i] * grad[i];
      const mh = m2 / (1 - 0.9 * 0.9 * 0.9);
      const vh = v2 / (1 - 0.99 * 0.99 * 0.99);
      const want = p[i] - 0.01 * (mh / (Math.sqrt(vh) + 1e-8) + 0.1 * p[i]);
      expect(out.get(nextName(stateName("m", "w")))![i]).toBeCloseTo(m2, 6);
      expect(out.get(nextName(stateName("v", "w")))![i]).toBeCloseTo(v2, 7);
      expect(out.get(nextName("w"))![i]).toBeCloseTo(want, 5);
    }
  });
  test("the hyperparameter feed holds lr and both bias corrections", () => {
    expect([...optimizerHyper({ kind: "adamw" }, 1, 0.5)]).toEqual([0.5, Math.fround(0.1), Math.fround(1 - 0.999)]);
    expect(() => optimizerHyper({ kind: "adamw" }, 0, 0.5)).toThrow(/step must be an integer >= 1, got 0/);
  });
});

describe("Nesterov update", () => {
  test("buf' = mu buf + g and p' = p - lr (g + mu buf')", () => {
    const { g } = graphFor("nesterov");
    const buf = Float32Array.of(1, 0, -1);
    const out = executeGraph(g, repopsBackend, { w: p, gw: grad, [stateName("buf", "w")]: buf, [HYPER_INPUT]: Float32Array.of(0.7) }).outputs;
    for (let i = 0; i < 3; i++) {
      const b2 = 0.9 * buf[i] + grad[i];
      expect(out.get(nextName(stateName("buf", "w")))![i]).toBeCloseTo(b2, 6);
      expect(out.get(nextName("w"))![i]).toBeCloseTo(p[i] - 0.7 * (grad[i] + 0.9 * b2), 5);
    }
  });
});
