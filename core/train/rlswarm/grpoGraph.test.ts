// The clipped-surrogate graph (grpoGraph.ts) against an independent float64 computation: central
// finite differences of the token-mean clipped surrogate, evaluated by the float64 reference
// forward (core/ml/reference64.ts) and a hand-written min/clip in float64.
import { describe, expect, test } from "bun:test";
import { exp } from "../../des/math.ts";
import { RngStreams } from "../../des/rng.ts";
import { repopsBackend } from "../../ml/backends/repops.ts";
import { executeGraph } from "../../ml/execute.ts";
import { initParams } from "../../ml/model.ts";
import { evaluate64 } from "../../ml/reference64.ts";
import { buildTrainStep, gradName } from "../../ml/trainStep.ts";
import { CLIP_HIGH, CLIP_LOW, clipCoefficient } from "./grpo.ts";
import { buildGrpoLM, XENT_NODE } from "./grpoGraph.ts";

const cfg = { vocab: 5, context: 3, width: 4, heads: 1, layers: 1, batch: 2, weighted: true };
const N = cfg.batch * cfg.context;

function setup(seed: number) {
  const step = buildTrainStep((g) => buildGrpoLM(g, cfg), null);
  const rng = new RngStreams(seed).stream("grpo-graph");
  const params = initParams(step.params, rng);
  const feeds = new Map<string, Float32Array>(params);
  feeds.set("tokens", Float32Array.from({ length: N }, () => rng.int(cfg.vocab)));
  feeds.set("targets", Float32Array.from({ length: N }, () => rng.int(cfg.vocab)));
  // Token 0 of each row is prompt (weight 0); the rest completion, token-mean scale N / 4.
  feeds.set("weights", Float32Array.from({ length: N }, (_, i) => (i % cfg.context === 0 ? 0 : N / 4)));
  feeds.set("advantages", Float32Array.from([0.9, 0.9, 0.9, -1.3, -1.3, -1.3]));
  // First pass: the policy's own log p (what the sampling policy would have given).
  const xent = executeGraph(step.graph, repopsBackend, { ...Object.fromEntries(feeds), oldLogp: new Float32Array(N) }, { outputs: ["xent"] }).outputs.get("xent")!;
  // Old log p such that the ratios are 0.6, 1.5, 1.1 (A > 0) and 0.6, 1.5, 0.95 (A < 0). Tokens 0
  // and 3 are prompt (weight 0). Clipped (zero gradient): token 1 (A > 0, ratio > 1.28); token 3
  // would be (A < 0, ratio < 0.8). Unclipped: token 2, token 4 (A < 0, ratio 1.5), token 5.
  const ratios = [0.6, 1.5, 1.1, 0.6, 1.5, 0.95];
  feeds.set("oldLogp", Float32Array.from(xent, (x, i) => -x - Math.log(ratios[i])));
  return { step, feeds, ratios };
}

/** Token-mean clipped surrogate in float64 from the reference forward's per-token xent (clip off: plain ratio * A). */
function surrogate64(step: ReturnType<typeof setup>["step"], feeds: Map<string, Float64Array>, clip = true): number {
  const id = step.graph.id(XENT_NODE);
  const xent = evaluate64(step.graph, feeds, id)[id];
  const old = feeds.get("oldLogp")!, adv = feeds.get("advantages")!, w = feeds.get("weights")!;
  let s = 0;
  for (let i = 0; i < N; i++) {
    const r = exp(-xent[i] - old[i]);
    const c = clip ? Math.min(Math.max(r, 1 - CLIP_LOW), 1 + CLIP_HIGH) : r;
    s += w[i] * Math.min(r * adv[i], c * adv[i]);
  }
  return s / N;
}

describe("GRPO clipped surrogate as graph ops", () => {
  test("coefficients: A * ratio inside the clip, 0 where the clipped term is the minimum (seed 7)", () => {
    const { step, feeds, ratios } = setup(7);
    const g = step.graph;
    const coefNode = g.nodes.find((n) => n.op === "grpoCoef")!;
    const coef = executeGraph(g, repopsBackend, feeds, { record: true }).values![coefNode.id];
    const adv = feeds.get("advantages")!;
    for (let i = 0; i < N; i++) expect(coef[i]).toBeCloseTo(clipCoefficient(adv[i], ratios[i]), 4);
    expect(coef[1]).toBe(0); // A > 0, ratio 1.5 > 1.28: clipped
    expect(coef[4]).toBeCloseTo(-1.3 * 1.5, 4); // A < 0, ratio 1.5: the unclipped term is the minimum
    // By hand: A = 0.9 with ratio 1.5 is clipped (0); 0.6 passes (0.54); -1.3 with 0.6 is clipped.
    expect(clipCoefficient(0.9, 1.5)).toBe(0);
    expect(clipCoefficient(0.9, 0.6)).toBeCloseTo(0.54, 12);
    expect(clipCoefficient(-1.3, 0.6)).toBe(0);
    expect(clipCoefficient(-1.3, 1.5)).toBeCloseTo(-1.95, 12);
  });

  test("gradient equals minus the float64 finite-difference gradient of the surrogate (seed 7)", () => {
    const { step, feeds } = setup(7);
    const out = executeGraph(step.graph, repopsBackend, feeds, { outputs: step.params.map((p) => gradName(p.name)) }).outputs;
    const f64 = new Map<string, Float64Array>([...feeds].map(([k, v]) => [k, Float64Array.from(v)]));
    const h = 1e-6;
    let checked = 0;
    let maxErr = 0;
    let maxAbs = 0;
    let maxErrUnclipped = 0;
    for (const p of step.params) {
      const grad = out.get(gradName(p.name))!;
      const v = f64.get(p.name)!;
      for (let i = 0; i < v.length; i++) {
        const x0 = v[i];
        v[i] = x0 + h;
        const up = surrogate64(step, f64);
        v[i] = x0 - h;
        const dn = surrogate64(step, f64);
        v[i] = x0;
        const want = -(up - dn) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(grad[i] - want));
        v[i] = x0 + h;
        const upU = surrogate64(step, f64, false);
        v[i] = x0 - h;
        const dnU = surrogate64(step, f64, false);
        v[i] = x0;
        maxErrUnclipped = Math.max(maxErrUnclipped, Math.abs(grad[i] + (upU - dnU) / (2 * h)));
        maxAbs = Math.max(maxAbs, Math.abs(want));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(maxAbs).toBeGreaterThan(1e-2); // a real gradient, not zeros
    expect(maxErr).toBeLessThan(2e-4 + 1e-3 * maxAbs);
    // The same check against the surrogate without the clip fails: the clip is in the gradient.
    expect(maxErrUnclipped).toBeGreaterThan(100 * (2e-4 + 1e-3 * maxAbs));
  });

  test("clipping binds: with every ratio at 1 the gradient differs from the clipped one", () => {
    const { step, feeds } = setup(7);
    const names = step.params.map((p) => gradName(p.name));
    const clipped = executeGraph(step.graph, repopsBackend, feeds, { outputs: names }).outputs;
    const xent = executeGraph(step.graph, repopsBackend, feeds, { outputs: ["xent"] }).outputs.get("xent")!;
    const fresh = new Map(feeds);
    fresh.set("oldLogp", Float32Array.from(xent, (x) => -x));
    const unclipped = executeGraph(step.graph, repopsBackend, fresh, { outputs: names }).outputs;
    let diff = 0;
    for (const n of names) clipped.get(n)!.forEach((g, i) => (diff = Math.max(diff, Math.abs(g - unclipped.get(n)![i]))));
    expect(diff).toBeGreaterThan(1e-3);
  });
});
