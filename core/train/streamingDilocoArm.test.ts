import { describe, expect, test } from "bun:test";
import { runArm, SMALL_ARM, trainTestContext } from "./trainTestWorld.ts";

const streaming = { kind: "streaming-diloco", H: 10, fragments: 2, ...SMALL_ARM, curve: false };
const tokensPerStep = 8 * 128;

describe("Streaming DiLoCo under churn", () => {
  const stable = runArm(trainTestContext(5), streaming).s;

  test("without churn: 7 fragment syncs, every step counts, nothing dropped", () => {
    expect(stable.syncs).toBe(7);
    expect(stable.tokens).toBe(6 * 40 * tokensPerStep);
    expect(stable.droppedContributions).toBe(0);
    expect(stable.rejoins).toBe(0);
  });

  test("a node that goes down loses its unsynced work and leaves; back up, it fetches the global copy", () => {
    const { s } = runArm(trainTestContext(5), streaming, [{ node: 3, down: 2000, up: 200_000 }]);
    expect(s.droppedContributions).toBe(1);
    expect(s.rejoins).toBe(1);
    // It went down while a fragment synced and was back before the next stretch: no step lost.
    expect(s.tokens).toBe(6 * 40 * tokensPerStep);
    // The fetch (40 MB of weights) plus the retried all-reduce without it.
    expect(s.bytesSent - stable.bytesSent).toBe(65_781_280);
    expect(s.virtualSeconds).toBeGreaterThan(stable.virtualSeconds);
    expect(s.heldOutLoss).toBeLessThan(s.initialHeldOutLoss);
  });

  test("random churn: same seed, same summary and trace; lost work and rejoins counted", () => {
    const churn = { churn: { fraction: 1, up: { dist: "exponential" as const, mean: 2_000_000 }, down: { dist: "exponential" as const, mean: 1_000_000 } } };
    const arm = { ...streaming, steps: 60 };
    const a = runArm(trainTestContext(8, churn), arm);
    const b = runArm(trainTestContext(8, churn), arm);
    expect(b.summary).toBe(a.summary);
    expect(b.trace).toBe(a.trace);
    expect(a.s.droppedContributions).toBe(3);
    expect(a.s.rejoins).toBe(3);
    expect(a.s.tokens).toBe(161 * tokensPerStep);
    expect(a.s.heldOutLoss).toBeLessThan(a.s.initialHeldOutLoss);
  });
});
