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

describe("honest workers on different kernels (verification.backendByHardware)", () => {
  test("an H100 worker on RepOps challenged by a verifier on repops-fma wins every game; A100 workers on repops-fma agree with it", async () => {
    const { getBackend } = await import("../ml/backend.ts");
    const t = trainTestContext(4, { groups: [{ count: 3, hardware: { h100: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } }, { count: 3, hardware: { a100: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } }] });
    t.ctx.backends = new Map([["repops", await getBackend("repops")], ["repops-fma", await getBackend("repops-fma")]]);
    const r = runArm(t, { ...arm({ fraction: 0 }, 1), verification: { rate: 1, backendByHardware: { a100: "repops-fma", default: "repops" } } });
    const p = r.s.protocol;
    // Workers 0-2 are H100s on RepOps, 3-4 A100s on repops-fma; the verifier (node 5) is an A100.
    // Round 0: the three RepOps workers' results differ from the verifier's re-execution, so it
    // challenges them; the referee recomputes on RepOps and the RepOps workers win every game, the
    // verifier is slashed each time; the A100 workers' results match the verifier's (same
    // kernels) and are accepted without a game, though they are not RepOps' bits.
    expect(p.disputes).toMatchObject({ count: 3, byOutcome: { DefenderWon: 3 }, byReason: { referee: 3 }, chainAgreesWithVerde: 3 });
    expect(p.ledger).toMatchObject({ paid: p.contributions, rejected: 0, slashedGsn: 1500 });
    const checks = r.trace.split("\n").filter((l) => l.includes('"type":"job.check"')).map((l) => JSON.parse(l));
    expect(checks.filter((c) => c.match).length).toBe(p.checks - 3);
    // Challenged workers sit out while their game runs (about 46 s of moves): later rounds are A100s only.
    expect(p.contributions).toBeLessThan(20);
  });
});

describe("verification.backendByHardware names a backend the run did not load", () => {
  test("the arm refuses to start, naming the key and what is loaded", () => {
    const noloco = { kind: "noloco", H: 10, ...SMALL_ARM, workers: 5, verification: { rate: 1, backendByHardware: { a100: "repops-fma" } } };
    expect(() => runArm(trainTestContext(3), noloco)).toThrow('workload a: verification.backendByHardware.a100: backend "repops-fma" is not loaded (loaded: none)');
  });
});

describe("the reference inner optimizer (inner: noloco-reference: cosine schedule, clipping as graph ops) under jobs", () => {
  test("a poisoner is still caught at its first lie and the referee recomputes one op; honest workers never lose", () => {
    const ref = { ...arm(poison, 1), inner: "noloco-reference" };
    const p = runArm(trainTestContext(3), ref).s.protocol;
    expect(p.lies).toMatchObject({ submitted: 1, caught: 1, missed: 0 });
    expect(p.disputes).toMatchObject({ count: 1, byOutcome: { ChallengerWon: 1 }, honestLost: 0, refereeRulingsNotOneOp: 0, chainAgreesWithVerde: 1 });
  });
});
