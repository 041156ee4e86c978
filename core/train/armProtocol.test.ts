// A DiLoCo arm whose contributions are protocol jobs (armProtocol.ts, core/protocol): lies are the
// workers' real corrupted rounds, detection is a verifier's re-execution disagreeing, and every
// consequence (fee, stake, bond, slash) is on the arm's ledger (REFERENCE §1, §3, §5).
import { describe, expect, test } from "bun:test";
import { runArm, SMALL_ARM, trainTestContext } from "./trainTestWorld.ts";

// Six H100s (trainTestWorld.ts): five workers and one verifier node; 4 rounds of H = 10.
const arm = (adversaries: unknown, rate: number) => ({ kind: "diloco", H: 10, ...SMALL_ARM, workers: 5, adversaries, verification: { rate } });
const run = (adversaries: unknown, rate: number, seed = 3) => runArm(trainTestContext(seed), arm(adversaries, rate));
const poison = { fraction: 0.2, kinds: ["poison"], scale: 3 };

describe("a poisoning worker inside a DiLoCo arm", () => {
  const honest = run(null, 0);
  const unverified = run(poison, 0);
  const verified = run(poison, 1);

  test("unverified: its four poisoned rounds are wrong, all enter the all-reduce, and the model is worse", () => {
    const p = unverified.s.protocol;
    expect(p.liars).toBe(1);
    expect(p.lies).toMatchObject({ submitted: 4, caught: 0, missed: 4, noOp: 0 });
    expect(p.checks).toBe(0);
    expect(p.ledger).toMatchObject({ jobs: 20, paid: 20, rejected: 0, slashedGsn: 0, escrowHeldUsd: 0 });
    expect(unverified.s.heldOutLoss).toBeGreaterThan(1.02 * honest.s.heldOutLoss);
  });

  test("every contribution re-executed: the first lie is challenged, lost on chain at Verde's node, slashed on the ledger", () => {
    const p = verified.s.protocol;
    expect(p.liarsCaught).toBe(1);
    expect(p.lies).toMatchObject({ submitted: 1, caught: 1, missed: 0 });
    expect(p.disputes).toMatchObject({ count: 1, byOutcome: { ChallengerWon: 1 }, byReason: { referee: 1 }, honestLost: 0, refereeRulingsNotOneOp: 0, crossChecked: 1, chainAgreesWithVerde: 1 });
    expect(p.excludedWorkers).toHaveLength(1);
    expect(unverified.s.protocol.excludedWorkers).toEqual([]);
    // Four workers x 4 rounds + the liar's one round: 17 jobs, one rejected; 500 GSN slashed.
    expect(p.ledger).toMatchObject({ jobs: 17, paid: 16, rejected: 1, slashedGsn: 500, escrowHeldUsd: 0, bondsHeldGsn: 0 });
    // The verifier re-ran every contribution (and answered one game): about the training compute.
    expect(p.verifierComputeShare).toBeGreaterThan(1);
    expect(p.verifierComputeShare).toBeLessThan(1.1);
    expect(verified.s.heldOutLoss).toBeLessThan(unverified.s.heldOutLoss);
    expect(Math.abs(verified.s.heldOutLoss / honest.s.heldOutLoss - 1)).toBeLessThan(0.01);
  });

  test("events carry the real hashes of the game's last claims and the referee's recomputation", () => {
    const resolved = verified.trace.split("\n").filter((l) => l.includes('"type":"dispute.resolved"')).map((l) => JSON.parse(l));
    expect(resolved).toHaveLength(1);
    expect(resolved[0].refereeHash).toBe(resolved[0].challengerClaimHi);
    expect(resolved[0].defenderClaimHi).toMatch(/^0x[0-9a-f]{64}$/);
    expect(resolved[0].step).toBe(resolved[0].verdeStep);
    expect(resolved[0].node).toBe(resolved[0].verdeNode);
  });

  test("same seed, same bytes", () => {
    expect(run(poison, 1).trace).toBe(verified.trace);
  });
});
