import { describe, expect, test } from "bun:test";
import { runArm, SMALL_ARM, trainTestContext } from "./trainTestWorld.ts";

const noloco = { kind: "noloco", H: 10, ...SMALL_ARM, curve: false };
const tokensPerStep = 8 * 128;

describe("NoLoCo under churn", () => {
  test("without churn: 4 rounds of 3 pairs, every step counts", () => {
    const { s, rounds } = runArm(trainTestContext(5), noloco);
    expect(rounds.map((r) => [r.active, r.groups])).toEqual([[6, 3], [6, 3], [6, 3], [6, 3]]);
    expect(s.tokens).toBe(6 * 40 * tokensPerStep);
    expect(s.droppedContributions).toBe(0);
    expect(s.rejoins).toBe(0);
    // 4 rounds x 6 workers x (fast + slow weights, 2 x 40 MB) to the one partner.
    expect(s.bytesSent).toBe(4 * 6 * 80e6);
  });

  test("a node that goes down mid-exchange loses its round; pairs are drawn among the nodes up; it rejoins from its pair", () => {
    // Node 3 goes down 2 ms in (its pair's exchange is under way) and is back at 200 ms.
    const { s, rounds } = runArm(trainTestContext(5), noloco, [{ node: 3, down: 2000, up: 200_000 }]);
    // Its partner applies the update alone and draws round 1 among the 5 nodes up (a pair and a
    // group of 3); node 3 is drawn again in round 2.
    expect(rounds.map((r) => [r.active, r.groups])).toEqual([[6, 3], [5, 2], [6, 3], [6, 3]]);
    expect(s.droppedContributions).toBe(1);
    expect(s.rejoins).toBe(1);
    expect(s.rounds).toBe(4);
    // Lost: its 10 steps of round 0 and the 10 of round 1 it sat out.
    expect(s.tokens).toBe((6 * 40 - 20) * tokensPerStep);
    // Round 1's group of 3 sends 6 x 80 MB, and the rejoiner fetches 40 MB of slow weights.
    expect(s.bytesSent).toBe((6 + 8 + 6 + 6) * 80e6 + 40e6);
    expect(s.failedTransfers).toBe(2);
    expect(s.heldOutLoss).toBeLessThan(s.initialHeldOutLoss);
  });

  test("random churn: same seed, same summary and trace; contributions lost and rejoins counted", () => {
    const churn = { churn: { fraction: 1, up: { dist: "exponential" as const, mean: 2_000_000 }, down: { dist: "exponential" as const, mean: 1_000_000 } } };
    const arm = { ...noloco, H: 5, steps: 60 };
    const a = runArm(trainTestContext(8, churn), arm);
    const b = runArm(trainTestContext(8, churn), arm);
    expect(b.summary).toBe(a.summary);
    expect(b.trace).toBe(a.trace);
    expect(a.s.rounds).toBe(12);
    expect(a.s.droppedContributions).toBe(12);
    expect(a.s.rejoins).toBe(5);
    expect(a.s.tokens).toBe(145 * tokensPerStep);
    expect(a.rounds.map((r) => r.active)).toEqual([3, 3, 3, 4, 3, 2, 3, 3, 5, 5, 3, 4]);
    expect(a.s.heldOutLoss).toBeLessThan(a.s.initialHeldOutLoss);
  });
});

describe("NoLoCo with one group of everyone", () => {
  test("is heavy-ball DiLoCo: same replicate, same outer lr and momentum, same held-out loss", () => {
    const same = { ...SMALL_ARM, H: 10, replicate: 1, curve: false };
    const all = runArm(trainTestContext(6), { kind: "noloco", ...same, groupSize: 6 }).s;
    const hb = runArm(trainTestContext(6), { kind: "diloco", ...same, outer: { lr: 0.7, momentum: 0.5, nesterov: false } }).s;
    const pairs = runArm(trainTestContext(6), { kind: "noloco", ...same }).s;
    expect(all.groupSize).toBe(6);
    expect(all.initialHeldOutLoss).toBe(hb.initialHeldOutLoss);
    expect(all.heldOutLoss).toBeCloseTo(hb.heldOutLoss, 5);
    // Pairs start from the same weights and data but average over 2, not 6.
    expect(pairs.initialHeldOutLoss).toBe(hb.initialHeldOutLoss);
    expect(pairs.heldOutLoss).not.toBe(all.heldOutLoss);
    // 6 workers exchanging with 5 others each round: 4 rounds x 6 x 5 x 80 MB.
    expect(all.bytesSent).toBe(4 * 6 * 5 * 80e6);
  });
});
