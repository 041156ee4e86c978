// Optimizer update nodes against their float64 formulas (AdamW; SGD with Nesterov momentum).
import { describe, expect, test } from "bun:test";
import { repopsBackend } from "./backends/repops.ts";
import { evalNode, executeGraph } from "./execute.ts";
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

describe("gradient clipping (clipNorm: torch's clip_grad_norm_ over all parameters, as graph ops)", () => {
  // Two parameters; replica 0's gradients have global norm 5 (3-4-5), replica 1's norm 0.5.
  function clipped(clipNorm: number) {
    const g = new Graph();
    const w = g.input("w", [3], "param"), gw = g.input("gw", [3], "data");
    const u = g.input("u", [2], "param"), gu = g.input("gu", [2], "data");
    const cfg = { kind: "adamw", beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, clipNorm } as const;
    appendOptimizer(g, new Map([["w", { id: w, grad: gw }], ["u", { id: u, grad: gu }]]), cfg);
    const zeros = (n: number) => new Float32Array(2 * n);
    const out = executeGraph(g, repopsBackend, {
      w: zeros(3), u: zeros(2), gw: Float32Array.of(3, 0, 0, 0.3, 0, 0), gu: Float32Array.of(0, -4, 0, 0.4),
      [stateName("m", "w")]: zeros(3), [stateName("v", "w")]: zeros(3), [stateName("m", "u")]: zeros(2), [stateName("v", "u")]: zeros(2),
      [HYPER_INPUT]: Float32Array.of(...optimizerHyper(cfg, 1, 0.01), ...optimizerHyper(cfg, 1, 0.01)),
    }, { replicas: 2 }).outputs;
    return { g, mw: out.get(nextName(stateName("m", "w")))!, mu: out.get(nextName(stateName("m", "u")))! };
  }
  test("a norm above maxNorm scales every gradient by maxNorm / (norm + 1e-6); one below is untouched", () => {
    const { mw, mu } = clipped(1);
    const c = 1 / (5 + 1e-6); // float64 reference coefficient, replica 0
    // m after step 1 from zero = (1 - beta1) x the clipped gradient.
    expect(mw[0]).toBeCloseTo(0.1 * 3 * c, 7); // 0.06
    expect(mu[1]).toBeCloseTo(0.1 * -4 * c, 7); // -0.08
    expect(mw[3]).toBeCloseTo(0.1 * 0.3, 8); // replica 1: norm 0.5 < 1, coefficient 1
    expect(mu[3]).toBeCloseTo(0.1 * 0.4, 8);
    expect(mw[0]).not.toBeCloseTo(0.3, 3); // unclipped would be 0.3
  });
  test("a larger maxNorm leaves both replicas' gradients as they are", () => {
    const { mw, mu } = clipped(10);
    expect(mw[0]).toBeCloseTo(0.3, 7);
    expect(mu[1]).toBeCloseTo(-0.4, 7);
  });
  test("the referee recomputes the clipCoef node alone (evalNode on repops): min(1, maxNorm / (sqrt(s) + 1e-6))", () => {
    const { g } = clipped(1);
    const node = g.nodes.find((n) => n.op === "clipCoef")!;
    expect(node.attrs.maxNorm).toBe(1);
    expect(evalNode(g, node.id, [Float32Array.of(25)])[0]).toBe(Math.fround(1 / Math.fround(5 + 1e-6)));
    expect(evalNode(g, node.id, [Float32Array.of(0.25)])[0]).toBe(1);
    expect(evalNode(g, node.id, [Float32Array.of(0)])[0]).toBe(1);
  });
  test("a non-positive clipNorm is refused, naming the value", () => {
    const g = new Graph();
    const w = g.input("w", [3], "param"), gw = g.input("gw", [3], "data");
    expect(() => appendOptimizer(g, new Map([["w", { id: w, grad: gw }]]), { kind: "adamw", clipNorm: 0 })).toThrow(/clipNorm must be a finite number > 0, got 0/);
  });
});
