// The inner lr schedule (lrScaleAt) against gensyn-ai/noloco's CosineWarmupLR computed by hand,
// and the reference inner-optimizer preset as a scenario names it.
import { describe, expect, test } from "bun:test";
import { lrScaleAt } from "./replicaSet.ts";
import { dilocoSchema, INNER_PRESETS } from "./trainParams.ts";

describe("lrScaleAt", () => {
  // CosineWarmupLR(warmup 2, max_steps 10, min_lr = 0.1 x lr) at 0-based step c is our step t = c + 1:
  // c < 2: (c + 1) / 2; else d = (c - 2) / 8 and 0.1 + 0.9 x 0.5 (1 + cos(pi d)).
  const cosine = { warmup: 2, schedule: "cosine", minLrRatio: 0.1 } as const;
  test("cosine: warmup, then half-cosine from 1 to minLrRatio at the last step (hand values)", () => {
    expect(lrScaleAt(cosine, 10, 1)).toBe(0.5);
    expect(lrScaleAt(cosine, 10, 2)).toBe(1);
    expect(lrScaleAt(cosine, 10, 3)).toBe(1); // d = 0
    expect(lrScaleAt(cosine, 10, 5)).toBeCloseTo(0.1 + 0.45 * (1 + Math.SQRT1_2), 15); // d = 1/4: 0.868198...
    expect(lrScaleAt(cosine, 10, 7)).toBeCloseTo(0.55, 15); // d = 1/2
    expect(lrScaleAt(cosine, 10, 11)).toBeCloseTo(0.1, 15); // d = 1 (min_lr)
    expect(lrScaleAt(cosine, 10, 50)).toBeCloseTo(0.1, 15); // past max_steps: min_lr
  });
  test("linear decays to minLrRatio at the last step; constant stays at 1 after warmup", () => {
    expect(lrScaleAt({ warmup: 2, schedule: "linear", minLrRatio: 0.1 }, 10, 6)).toBeCloseTo(1 - 0.9 * 0.5, 15);
    expect(lrScaleAt({ warmup: 2, schedule: "linear", minLrRatio: 0.1 }, 10, 10)).toBeCloseTo(0.1, 15);
    expect(lrScaleAt({ warmup: 0, schedule: "linear", minLrRatio: 0 }, 10, 10)).toBe(0);
    expect(lrScaleAt({ warmup: 4, schedule: "constant", minLrRatio: 0.1 }, 10, 1)).toBe(0.25);
    expect(lrScaleAt({ warmup: 4, schedule: "constant", minLrRatio: 0.1 }, 10, 9)).toBe(1);
  });
});

describe("inner: noloco-reference", () => {
  test("resolves to gensyn-ai/noloco's Adam: lr 6e-4, no weight decay, cosine to 0.1 x lr, clip 1.0", () => {
    const p = dilocoSchema.parse({ kind: "diloco", inner: "noloco-reference" });
    expect(p.inner).toEqual({ lr: 6e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, warmup: 40, schedule: "cosine", minLrRatio: 0.1, clip: 1 });
    expect(p.inner).toEqual({ ...INNER_PRESETS["noloco-reference"] });
  });
  test("an object still takes every field with its defaults, and unknown presets are refused", () => {
    expect(dilocoSchema.parse({ kind: "diloco", inner: { clip: 0.5 } }).inner).toMatchObject({ lr: 3e-3, schedule: "linear", clip: 0.5, minLrRatio: 0.1 });
    expect(dilocoSchema.parse({ kind: "diloco" }).inner.clip).toBeNull();
    expect(() => dilocoSchema.parse({ kind: "diloco", inner: "paper" })).toThrow();
  });
});
