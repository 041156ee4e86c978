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

// Contributions as protocol jobs (armProtocol.ts): each worker's round is a job from its own slow
// weights; what it commits is what its group exchanges. Five workers (pairs and a group of 3) and
// one verifier node; 4 rounds of H = 10.
describe("a poisoning worker inside a NoLoCo arm", () => {
  const arm = (adversaries: unknown, rate: number) => ({ ...noloco, workers: 5, adversaries, verification: { rate } });
  const run = (adversaries: unknown, rate: number) => runArm(trainTestContext(3), arm(adversaries, rate));
  const poison = { fraction: 0.2, kinds: ["poison"], scale: 3 };
  const honest = runArm(trainTestContext(3), { ...noloco, workers: 5 });
  const unverified = run(poison, 0);
  const verified = run(poison, 1);

  test("unverified: its four poisoned rounds are wrong, all reach its groups, and the consensus is worse", () => {
    const p = unverified.s.protocol;
    expect(p.liars).toBe(1);
    expect(p.lies).toMatchObject({ submitted: 4, caught: 0, missed: 4, noOp: 0 });
    expect(p.checks).toBe(0);
    expect(p.ledger).toMatchObject({ jobs: 20, paid: 20, rejected: 0, slashedGsn: 0, escrowHeldUsd: 0 });
    expect(unverified.s.droppedContributions).toBe(0);
    expect(unverified.s.heldOutLoss).toBeGreaterThan(1.05 * honest.s.heldOutLoss);
  });

  test("every contribution re-executed: the first lie is challenged, held out of its group, lost on chain, slashed", () => {
    const p = verified.s.protocol;
    expect(p.liarsCaught).toBe(1);
    expect(p.lies).toMatchObject({ submitted: 1, caught: 1, missed: 0 });
    expect(p.disputes).toMatchObject({ count: 1, byOutcome: { ChallengerWon: 1 }, byReason: { referee: 1 }, honestLost: 0, refereeRulingsNotOneOp: 0, chainAgreesWithVerde: 1 });
    expect(p.excludedWorkers).toHaveLength(1);
    // Its round-0 contribution is dropped (its group updates without it); it is drawn in no later round.
    expect(verified.s.droppedContributions).toBe(1);
    expect(verified.rounds.map((r) => r.active)).toEqual([5, 4, 4, 4]);
    // Four workers x 4 rounds + the liar's one round: 17 jobs, one rejected; 500 GSN slashed.
    expect(p.ledger).toMatchObject({ jobs: 17, paid: 16, rejected: 1, slashedGsn: 500, escrowHeldUsd: 0, bondsHeldGsn: 0 });
    expect(p.verifierComputeShare).toBeGreaterThan(1);
    expect(p.verifierComputeShare).toBeLessThan(1.1);
    expect(verified.s.heldOutLoss).toBeLessThan(unverified.s.heldOutLoss);
    expect(Math.abs(verified.s.heldOutLoss / honest.s.heldOutLoss - 1)).toBeLessThan(0.01);
  });

  test("the challenged worker's group exchanges without it in round 0", () => {
    const liar = verified.s.protocol.excludedWorkers[0];
    const contribution = verified.trace.split("\n").filter((l) => l.includes('"type":"train.contribution"')).map((l) => JSON.parse(l));
    expect(contribution).toEqual([expect.objectContaining({ round: 0, worker: liar, kind: "poison", wrong: true, checked: true, match: false })]);
    // Fast + slow weights (80 MB) to each other member. Unverified, every round is a pair and a
    // group of 3 (2 + 6 sends); round 0's group of 3 holds the liar (worker 0), so verified its
    // other two exchange as a pair, and so do the four workers left in rounds 1-3 (2 + 2 sends).
    expect(liar).toBe(0);
    expect(unverified.s.bytesSent).toBe(4 * (2 + 6) * 80e6);
    expect(verified.s.bytesSent).toBe(4 * (2 + 2) * 80e6);
  });

  test("same seed, same bytes", () => {
    expect(run(poison, 1).trace).toBe(verified.trace);
  });
});

describe("a NoLoCo liar whose check lags behind the gossip", () => {
  test("caught after two later rounds were drawn with it, it leaves all three and every round completes", () => {
    // Six H100 workers and a slow verifier (RTX 3060) checking a quarter of the rounds: the
    // unchecked groups run ahead while the checked ones wait for their re-execution.
    const g = (count: number, hw: string) => ({ count, hardware: { [hw]: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } });
    const t = trainTestContext(5, { groups: [g(6, "h100"), g(1, "rtx3060")] });
    const virtual = { parameters: 50e6, tokensPerExample: 1024, bytesPerParameter: 2 };
    const r = runArm(t, { ...noloco, steps: 60, workers: 6, virtual, adversaries: { fraction: 1 / 6, kinds: ["poison"], scale: 3 }, verification: { rate: 0.25 } });
    const lies = r.trace.split("\n").filter((l) => l.includes('"type":"train.contribution"')).map((l) => JSON.parse(l));
    // Its rounds 0 and 1 went unchecked; its round-2 lie is challenged once rounds 3 and 4 are drawn.
    expect(lies.map((l) => [l.round, l.checked, l.match])).toEqual([[0, false, null], [1, false, null], [2, true, false]]);
    expect(r.rounds.filter((x) => x.round <= 4).every((x) => x.t < lies[2].t)).toBe(true);
    expect(r.s.protocol.lies).toMatchObject({ submitted: 3, caught: 1, missed: 2 });
    expect(r.s.droppedContributions).toBe(3);
    expect(r.s.rounds).toBe(6);
    expect(r.rounds.map((x) => x.active)).toEqual([6, 6, 6, 6, 6, 5]);
    expect(r.s.protocol.ledger).toMatchObject({ jobs: 33, rejected: 1, slashedGsn: 500, unsettled: 0 });
  });
});

// Random routing between the replicas of the two pipeline stages (routing: random, routedMlp.ts).
describe("NoLoCo with random routing", () => {
  const routed = { ...noloco, engine: "builtin", routing: "random" };
  const fixed = { ...noloco, engine: "builtin" };

  test("one worker has no one to route to: the routed steps are the fixed arm's, bit for bit", () => {
    const a = runArm(trainTestContext(4), { ...routed, workers: 1 }).s;
    const b = runArm(trainTestContext(4), { ...fixed, workers: 1 }).s;
    expect(a.routedShare).toBe(0);
    expect(a.heldOutLoss).toBe(b.heldOutLoss);
    expect(a.trainLoss).toBe(b.trainLoss);
    expect(b.routing).toBe("fixed");
  });

  test("six workers: 5 of 6 examples cross to another worker's head; same seed, same bytes; it learns, unlike the fixed arm's numbers", () => {
    const a = runArm(trainTestContext(5), routed);
    const b = runArm(trainTestContext(5), routed);
    const f = runArm(trainTestContext(5), fixed).s;
    expect(b.summary).toBe(a.summary);
    expect(a.s.routedShare).toBeCloseTo(5 / 6, 1);
    expect(a.s.initialHeldOutLoss).toBe(f.initialHeldOutLoss);
    expect(a.s.heldOutLoss).toBeLessThan(a.s.initialHeldOutLoss);
    expect(a.s.heldOutLoss).not.toBe(f.heldOutLoss);
    expect(a.s.replicaDriftStages.length).toBe(2);
    expect(a.s.replicaDrift).toBeGreaterThan(0);
    expect(a.s.replicaDrift).not.toBe(f.replicaDrift);
    expect(a.s.replicaWeightStd).toBeGreaterThan(0);
    expect(a.s.replicaWeightStd).not.toBe(f.replicaWeightStd);
    // Same exchanges: 4 rounds x 6 workers x 80 MB to the one partner.
    expect(a.s.bytesSent).toBe(f.bytesSent);
    expect(a.s.droppedContributions).toBe(0);
  });

  test("under churn the lockstep rounds still complete, the same for the same seed", () => {
    const churn = { churn: { fraction: 1, up: { dist: "exponential" as const, mean: 2_000_000 }, down: { dist: "exponential" as const, mean: 1_000_000 } } };
    const arm = { ...routed, H: 5, steps: 60 };
    const a = runArm(trainTestContext(8, churn), arm);
    const b = runArm(trainTestContext(8, churn), arm);
    expect(b.summary).toBe(a.summary);
    expect(a.s.rounds).toBe(12);
    expect(a.s.droppedContributions).toBeGreaterThan(0);
    expect(a.s.heldOutLoss).toBeLessThan(a.s.initialHeldOutLoss);
  });

  test("refuses the graph engine and protocol jobs, naming the setting", () => {
    expect(() => runArm(trainTestContext(5), { ...noloco, routing: "random" })).toThrow("workload.arms[0] (a).engine: engine: builtin with routing: random");
    expect(() => runArm(trainTestContext(5), { ...routed, verification: { rate: 1 } })).toThrow("workload.arms[0] (a).routing: routing: fixed with adversaries or verification");
    expect(() => runArm(trainTestContext(5), { ...routed, adversaries: { fraction: 0.2 } })).toThrow("(a).routing: routing: fixed with adversaries or verification");
  });
});
