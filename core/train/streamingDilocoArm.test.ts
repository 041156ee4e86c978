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

// Contributions as protocol jobs (armProtocol.ts): each worker's stretch of inner steps (1 step of
// overlap, then 4: 15 stretches over 40 steps) is a job from its own weights. Five workers and one
// verifier node.
describe("a poisoning worker inside a Streaming DiLoCo arm", () => {
  const arm = { ...streaming, workers: 5 };
  const run = (adversaries: unknown, rate: number) => runArm(trainTestContext(3), { ...arm, adversaries, verification: { rate } });
  const poison = { fraction: 0.2, kinds: ["poison"], scale: 3 };
  const honest = runArm(trainTestContext(3), arm);
  const unverified = run(poison, 0);
  const verified = run(poison, 1);

  test("unverified: its 15 poisoned stretches are wrong, all feed the fragments' outer steps, and the model is worse", () => {
    const p = unverified.s.protocol;
    expect(p.lies).toMatchObject({ submitted: 15, caught: 0, missed: 15, noOp: 0 });
    expect(p.ledger).toMatchObject({ jobs: 75, paid: 75, rejected: 0, slashedGsn: 0, escrowHeldUsd: 0 });
    expect(unverified.s.syncs).toBe(7);
    expect(unverified.s.heldOutLoss).toBeGreaterThan(1.05 * honest.s.heldOutLoss);
  });

  test("every stretch re-executed: the first lie is challenged and lost on chain; the liar leaves before any sync and is slashed", () => {
    const p = verified.s.protocol;
    expect(p.liarsCaught).toBe(1);
    expect(p.lies).toMatchObject({ submitted: 1, caught: 1, missed: 0 });
    expect(p.disputes).toMatchObject({ count: 1, byOutcome: { ChallengerWon: 1 }, byReason: { referee: 1 }, honestLost: 0, chainAgreesWithVerde: 1 });
    expect(p.excludedWorkers).toEqual([0]);
    // Its first stretch is dropped and it never rejoins: 4 workers x 15 stretches + its one.
    expect(verified.s).toMatchObject({ droppedContributions: 1, rejoins: 0, syncs: 7, tokens: 4 * 40 * tokensPerStep });
    expect(p.ledger).toMatchObject({ jobs: 61, paid: 60, rejected: 1, slashedGsn: 500, escrowHeldUsd: 0, bondsHeldGsn: 0 });
    expect(verified.s.heldOutLoss).toBeLessThan(unverified.s.heldOutLoss);
    expect(Math.abs(verified.s.heldOutLoss / honest.s.heldOutLoss - 1)).toBeLessThan(0.01);
  });

  test("same seed, same bytes", () => {
    expect(run(poison, 1).trace).toBe(verified.trace);
  });
});

describe("Streaming DiLoCo as the paper runs it", () => {
  test("mixing: alpha = 0.5 takes the midpoint of local and global; 0 takes the global; 1 keeps the local", async () => {
    const { mixValue } = await import("./streamingDilocoArm.ts");
    expect(mixValue(0.5, 1, 3)).toBe(2);
    expect(mixValue(0.5, -0.25, 0.75)).toBe(0.25);
    expect(mixValue(0, 1, 3)).toBe(3);
    expect(mixValue(1, 1, 3)).toBe(1);
  });
  test("fragments: contiguous slices, or blocks dealt round-robin (block k to fragment k mod F)", async () => {
    const { fragmentRanges } = await import("./streamingDilocoArm.ts");
    expect(fragmentRanges(10, 2, "contiguous", 3)).toEqual([[[0, 5]], [[5, 10]]]);
    expect(fragmentRanges(10, 2, "strided", 3)).toEqual([[[0, 3], [6, 9]], [[3, 6], [9, 10]]]);
    expect(fragmentRanges(10, 3, "strided", 2)).toEqual([[[0, 2], [6, 8]], [[2, 4], [8, 10]], [[4, 6]]]);
  });
  test("E3M0 (default) and INT4 outer gradients both train; they are different formats, so different losses", () => {
    const e3m0 = runArm(trainTestContext(5), { ...streaming, bits: 4 }).s;
    const int4 = runArm(trainTestContext(5), { ...streaming, bits: 4, quant: "int" }).s;
    const strided = runArm(trainTestContext(5), { ...streaming, bits: 4, layout: "strided", layoutBlock: 16 }).s;
    expect(e3m0.heldOutLoss).toBeLessThan(e3m0.initialHeldOutLoss);
    expect(int4.heldOutLoss).toBeLessThan(int4.initialHeldOutLoss);
    expect(strided.heldOutLoss).toBeLessThan(strided.initialHeldOutLoss);
    expect(e3m0.heldOutLoss).not.toBe(int4.heldOutLoss);
    expect(strided.heldOutLoss).not.toBe(e3m0.heldOutLoss);
    expect(e3m0.bytesSent).toBe(int4.bytesSent); // 4 bits + one float32 scale per block either way
  });
  test("a strided layout with fewer blocks than fragments is refused, naming the numbers", () => {
    expect(() => runArm(trainTestContext(5), { ...streaming, layout: "strided", layoutBlock: 1_000_000 })).toThrow(/layoutBlock 1000000 cuts \d+ parameters into fewer than fragments = 2 blocks/);
  });
});
