// DiLoCo's traffic and round count follow from H, N and the all-reduce (REFERENCE §5): the
// identities the training scenarios used to pin at one seed, asserted here on the small test world.
import { describe, expect, test } from "bun:test";
import { runArm, SMALL_ARM, trainTestContext } from "./trainTestWorld.ts";

/** SMALL_ARM's virtual model: 10M parameters in fp32 on the wire. */
const PAYLOAD = 40e6;
const arm = (o: Record<string, unknown>) => ({ ...SMALL_ARM, curve: false, ...o });

describe("DiLoCo rounds and bytes", () => {
  test("tree all-reduce: ceil(steps / H) syncs of 2 (N - 1) full-payload hops", () => {
    const { s, rounds } = runArm(trainTestContext(2), arm({ kind: "diloco", H: 10, allReduce: "tree" }));
    expect(s.workers).toBe(6);
    expect(rounds.length).toBe(4);
    expect(s.rounds).toBe(4);
    expect(s.syncs).toBe(4);
    expect(s.bytesSent).toBe(2 * (6 - 1) * 4 * PAYLOAD);
  });

  test("bytes fall as 1/H against DDP's ring all-reduce of the same payload, a short last round included", () => {
    const ddp = runArm(trainTestContext(2), arm({ kind: "ddp" })).s;
    const h1 = runArm(trainTestContext(2), arm({ kind: "diloco", H: 1 })).s;
    const h10 = runArm(trainTestContext(2), arm({ kind: "diloco", H: 10 })).s;
    const h15 = runArm(trainTestContext(2), arm({ kind: "diloco", H: 15 })).s; // rounds of 15, 15, 10
    expect(ddp.syncs).toBe(40);
    expect(h1.bytesSent).toBe(ddp.bytesSent);
    expect(h10.bytesSent * 10).toBe(ddp.bytesSent);
    expect(h15.rounds).toBe(3);
    expect(h15.bytesSent * 40).toBe(ddp.bytesSent * 3);
    // Every arm did the same work: 6 workers x 40 steps.
    for (const s of [ddp, h1, h10, h15]) expect(s.tokens).toBe(6 * 40 * 8 * 128);
  });
});

describe("DiLoCo straggler deadline", () => {
  // Five H100s and one M2 (~30x slower per step): the M2 misses a 1.5 x median deadline in
  // every round, so it is stopped there and never computed.
  const mixed = () =>
    trainTestContext(3, {
      groups: [
        { count: 5, hardware: { h100: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } },
        { count: 1, hardware: { m2: 1 }, regions: { "eu-west": 1 }, link: { cloud: 1 } },
      ],
    });

  test("a straggler the deadline drops costs no compute and no GPU time past the deadline", () => {
    const late = runArm(mixed(), arm({ kind: "diloco", H: 10, stragglerDeadline: 1.5 })).s;
    const waitAll = runArm(mixed(), arm({ kind: "diloco", H: 10 })).s;
    // 4 rounds of 10 steps: 5 workers computed, the M2 stopped each round.
    expect(late.stoppedAtDeadline).toBe(4);
    expect(late.replicaStepsComputed).toBe(5 * 40);
    expect(late.tokens).toBe(5 * 40 * 8 * 128);
    expect(waitAll.tokens).toBe(6 * 40 * 8 * 128);
    // Rounds end at the deadline instead of at the M2: well under half the time of waiting for it.
    expect(late.virtualSeconds).toBeLessThan(waitAll.virtualSeconds / 2);
    // Its GPU time is booked to the deadline only, so the arm's compute is far below waiting for it.
    const computeS = (x: Record<string, number>) => x.computeUtilisation * x.workers * x.virtualSeconds;
    expect(computeS(late)).toBeLessThan(computeS(waitAll) / 2);
  });
});

