import { describe, expect, test } from "bun:test";
import { runArm, SMALL_ARM, trainTestContext } from "./trainTestWorld.ts";

// Six H100 workers (trainTestWorld.ts), 4 DiLoCo rounds of H = 10; seed 3 draws worker 0 as the liar.
const arm = (adversaries: unknown, rate: number) => ({ kind: "diloco", H: 10, ...SMALL_ARM, adversaries, verification: { rate } });
const run = (adversaries: unknown, rate: number, seed = 3, outages: { node: number; down: number; up: number }[] = []) => runArm(trainTestContext(seed), arm(adversaries, rate), outages);
const events = (trace: string, type: string) => trace.split("\n").filter((l) => l.includes(`"type":"${type}"`)).map((l) => JSON.parse(l));

describe("liars inside a DiLoCo arm, checked by verifiers and Verde disputes", () => {
  const honest = run(null, 0);
  const unverified = run({ fraction: 0.2, kind: "wrong-step" }, 0);
  const verified = run({ fraction: 0.2, kind: "wrong-step" }, 1);

  test("the liar is drawn from the arm's stream: round(0.2 x 6) = 1 worker", () => {
    expect(unverified.s.liars).toBe(1);
    expect(unverified.s.liarWorkers).toEqual(verified.s.liarWorkers);
  });

  test("with rate 0 every lie enters the all-reduce and the global model is worse", () => {
    expect(unverified.s.liesSubmitted).toBe(4);
    expect(unverified.s.liesMissed).toBe(4);
    expect(unverified.s.liesCaught).toBe(0);
    expect(unverified.s.checks).toBe(0);
    expect(unverified.s.verifierComputeShare).toBe(0);
    expect(unverified.s.heldOutLoss).toBeGreaterThan(1.1 * honest.s.heldOutLoss);
    expect(events(unverified.trace, "train.lie")).toHaveLength(4);
  });

  test("with rate 1 the first lie is caught, the honest verifier wins the dispute, the liar is slashed and excluded", () => {
    expect(verified.s.liesSubmitted).toBe(1);
    expect(verified.s.liesCaught).toBe(1);
    expect(verified.s.liesMissed).toBe(0);
    expect(verified.s.disputes).toBe(1);
    expect(verified.s.excludedWorkers).toEqual(verified.s.liarWorkers);
    expect(verified.s.slashedStake).toBe(100);
    const [d] = events(verified.trace, "train.dispute");
    expect(d.winner).toMatch(/^verifier/);
    expect(d.losers).toBe(`worker${verified.s.liarWorkers[0]}`);
    expect(d.rounds).toBe(verified.s.disputeRounds.max);
    expect(verified.s.disputeRounds.max).toBeGreaterThan(2);
    // Every contribution is re-executed once, plus the dispute's answers and the referee's op.
    expect(verified.s.verifierComputeShare).toBeGreaterThanOrEqual(1);
    expect(verified.s.verifierComputeShare).toBeLessThan(1.1);
  });

  test("the caught liar's contribution never reaches the model: same loss as the run where its node is down throughout", () => {
    const liarNode = verified.s.liarWorkers[0];
    const without = run(null, 0, 3, [{ node: liarNode, down: 0, up: 1e15 }]);
    expect(verified.s.heldOutLoss).toBe(without.s.heldOutLoss);
    expect(verified.s.heldOutLoss).toBeLessThan(unverified.s.heldOutLoss);
  });

  test("a lazy liar (inner steps skipped) is caught the same way", () => {
    const lazy = run({ fraction: 0.2, kind: "lazy" }, 1);
    expect(lazy.s.liesCaught).toBe(1);
    expect(lazy.s.heldOutLoss).toBe(verified.s.heldOutLoss);
    const missed = run({ fraction: 0.2, kind: "lazy" }, 0);
    expect(missed.s.liesMissed).toBe(4);
    expect(missed.s.heldOutLoss).toBeGreaterThan(honest.s.heldOutLoss);
  });

  test("the same seed gives the same trace and summary, byte for byte", () => {
    const again = run({ fraction: 0.2, kind: "wrong-step" }, 1);
    expect(again.trace).toBe(verified.trace);
    expect(again.summary).toBe(verified.summary);
    expect(events(again.trace, "train.check").length).toBe(verified.s.checks);
  });

  test("property, seeds 1-6: with rate 1 every liar (2 of 6, either kind) is caught at its first lie and the verifier wins", () => {
    for (let seed = 1; seed <= 6; seed++) {
      for (const kind of ["wrong-step", "lazy"]) {
        const r = run({ fraction: 0.34, kind }, 1, seed);
        expect(r.s.liars).toBe(2);
        expect(r.s.liesSubmitted).toBe(2);
        expect(r.s.liesCaught).toBe(2);
        expect(r.s.liesMissed).toBe(0);
        expect(r.s.excludedWorkers).toEqual(r.s.liarWorkers);
        for (const d of events(r.trace, "train.dispute")) expect(d.winner).toMatch(/^verifier/);
      }
    }
  });
});
