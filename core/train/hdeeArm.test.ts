import { describe, expect, test } from "bun:test";
import { allocate, seedStepsFor } from "./hdeeArm.ts";
import { runArm, trainTestContext } from "./trainTestWorld.ts";

const domains = [
  { name: "a", teacherHidden: 2, sharpness: 4, weight: 1 },
  { name: "b", teacherHidden: 8, sharpness: 4, weight: 1 },
  { name: "c", teacherHidden: 32, sharpness: 4, weight: 2 },
];

describe("HDEE allocation at equal compute (REFERENCE §8)", () => {
  test("iterations in proportion to domain weight, same total steps", () => {
    // shares = weight * 3 / 4 = 0.75, 0.75, 1.5
    expect(allocate({ allocation: "iterations", steps: 100, hidden: 32, domains })).toEqual({ steps: [75, 75, 150], hidden: [32, 32, 32] });
  });
  test("size: hidden width in proportion (training FLOPs scale with width)", () => {
    expect(allocate({ allocation: "size", steps: 100, hidden: 32, domains })).toEqual({ steps: [100, 100, 100], hidden: [24, 24, 48] });
  });
  test("equal: the homogeneous ensemble", () => {
    expect(allocate({ allocation: "equal", steps: 100, hidden: 32, domains })).toEqual({ steps: [100, 100, 100], hidden: [32, 32, 32] });
  });
});

// Seed phase (REFERENCE §8): a seed per expert width on the mixture of the domains; experts branch from it.
describe("HDEE seed phase", () => {
  const task = { poolSize: 512, heldOutSize: 128, inputs: 8 };
  const doms = [{ name: "easy", teacherHidden: 2, weight: 1 }, { name: "mid", teacherHidden: 8, weight: 2 }, { name: "hard", teacherHidden: 32, weight: 3 }];
  const arm = { kind: "hdee", steps: 1, hidden: 12, batch: 8, task, validationSize: 64, domains: doms, sequenceLength: 8 };
  const seeded = runArm(trainTestContext(4), { ...arm, seed: { steps: 200 } }).s;
  const fromRandom = runArm(trainTestContext(4), { ...arm, seed: { steps: 0 } }).s;

  test("experts one step past the seed are the seed: same held-out loss, and the cached prior cannot tell them apart", () => {
    expect(seeded.seedHeldOutLoss).toBeCloseTo(2.152379, 6);
    expect(Math.abs(seeded.expertHeldOutLoss - seeded.seedHeldOutLoss)).toBeLessThan(1e-3);
    // From random weights one step gives 2.37: the seed is what the experts start from.
    expect(fromRandom.expertHeldOutLoss).toBeCloseTo(2.369911, 6);
    expect(fromRandom.seedHeldOutLoss).toBeNull();
    expect(seeded.domains.mid.ownPrior).toBeCloseTo(1 / 3, 1);
    for (const m of ["uniformPrior", "logAverage", "validationSoftmax"]) expect(seeded.ensembleLosses[m]).toBeCloseTo(seeded.ensembleLosses.cachedPrior, 4);
    // Experts from different random weights differ: the posterior finds the own expert.
    expect(fromRandom.domains.mid.ownPrior).toBeGreaterThan(0.99);
  });

  test("seed FLOPs: steps x batch x 6 (inputs x hidden + hidden x classes), one seed per width; not counted in the experts' equal compute", () => {
    expect(seeded.seedProxyTrainFlops).toBe(200 * 8 * 6 * (8 * 12 + 12 * 8));
    const size = runArm(trainTestContext(4), { ...arm, allocation: "size", seed: { steps: 200 } }).s;
    // widths 6, 12, 18 (weights 1:2:3): three seeds
    expect(size.seedProxyTrainFlops).toBe(200 * 8 * 6 * 16 * (6 + 12 + 18));
    expect(size.proxyTrainFlops).toBe(seeded.proxyTrainFlops);
  });

  test("default seed steps: the reference's 20,000 per 600 expert steps", () => {
    expect(seedStepsFor(600)).toBe(20000);
    expect(seedStepsFor(300)).toBe(10000);
    expect(seedStepsFor(60)).toBe(2000);
    expect(seeded.seedSteps).toBe(200);
  });

  test("heldOutLoss is the chosen ensemble method's; cached prior by default", () => {
    expect(seeded.ensemble).toBe("cached-prior");
    expect(fromRandom.heldOutLoss).toBe(fromRandom.ensembleLosses.cachedPrior);
    const fixed = runArm(trainTestContext(4), { ...arm, seed: { steps: 0 }, ensemble: "validation-softmax" }).s;
    expect(fixed.heldOutLoss).toBe(fixed.ensembleLosses.validationSoftmax);
    expect(fixed.ensembleLosses).toEqual(fromRandom.ensembleLosses);
  });
});

describe("HDEE at equal training compute", () => {
  test("equal, iterations and size allocations spend the same proxy training FLOPs", () => {
    const task = { poolSize: 256, heldOutSize: 64, inputs: 8 };
    const doms = [{ name: "easy", teacherHidden: 2, weight: 1 }, { name: "mid", teacherHidden: 8, weight: 2 }, { name: "hard", teacherHidden: 32, weight: 3 }];
    const flops = (allocation: string) => runArm(trainTestContext(4), { kind: "hdee", allocation, steps: 24, hidden: 12, batch: 8, task, validationSize: 64, domains: doms }).s.proxyTrainFlops as number;
    const equal = flops("equal");
    expect(equal).toBeGreaterThan(0);
    expect(flops("iterations")).toBe(equal);
    expect(flops("size")).toBe(equal);
  });
});

// Contributions as protocol jobs (armProtocol.ts): each expert's stretch of 20 steps between
// evaluations is a job on its own domain (3 experts on nodes 0-2, nodes 3-5 verify).
describe("a poisoning expert inside an HDEE arm", () => {
  const task = { poolSize: 512, heldOutSize: 128, inputs: 8 };
  const doms = [{ name: "easy", teacherHidden: 2 }, { name: "mid", teacherHidden: 8 }, { name: "hard", teacherHidden: 32 }];
  const arm = { kind: "hdee", steps: 60, evalEvery: 20, hidden: 16, batch: 8, task, validationSize: 64, domains: doms, inner: { lr: 0.01, warmup: 5 } };
  const run = (adversaries: unknown, rate: number) => runArm(trainTestContext(3), { ...arm, adversaries, verification: { rate } });
  const poison = { fraction: 0.34, kinds: ["poison"], scale: 3 };
  const honest = run({ fraction: 0 }, 1);
  const unverified = run(poison, 0);
  const verified = run(poison, 1);

  test("honest experts re-executed: every stretch matches, nine jobs paid; the ensemble learns", () => {
    expect(honest.s.seedSteps).toBe(2000);
    expect(honest.s.protocol).toMatchObject({ contributions: 9, checks: 9, disputes: { count: 0 }, ledger: { paid: 9, slashedGsn: 0 } });
    expect(honest.s.rounds).toBe(3);
    expect(honest.s.heldOutLoss).toBeLessThan(1.65);
  });

  test("unverified: its three poisoned stretches are paid for; its expert is ruined and its domain has no good expert", () => {
    const p = unverified.s.protocol;
    expect(p.lies).toMatchObject({ submitted: 3, caught: 0, missed: 3, noOp: 0 });
    expect(p.ledger).toMatchObject({ jobs: 9, paid: 9, rejected: 0, slashedGsn: 0 });
    expect(unverified.s.domains.mid.expertLoss).toBeGreaterThan(10 * honest.s.domains.mid.expertLoss);
    expect(unverified.s.heldOutLoss).toBeGreaterThan(1.1 * honest.s.heldOutLoss);
  });

  test("every stretch re-executed: the first lie is challenged, lost on chain and slashed; the expert is rolled back and leaves the ensemble", () => {
    const p = verified.s.protocol;
    expect(p).toMatchObject({ liarsCaught: 1, excludedWorkers: [1], lies: { submitted: 1, caught: 1, missed: 0 } });
    expect(p.disputes).toMatchObject({ count: 1, byOutcome: { ChallengerWon: 1 }, byReason: { referee: 1 }, honestLost: 0, chainAgreesWithVerde: 1 });
    // Three stretches of the two honest experts + the liar's first: 7 jobs, one rejected.
    expect(p.ledger).toMatchObject({ jobs: 7, paid: 6, rejected: 1, slashedGsn: 500, escrowHeldUsd: 0, bondsHeldGsn: 0 });
    expect(verified.s.droppedContributions).toBe(1);
    // Its weights are those from before the lie (the seed's): worse than honest, nowhere near poisoned.
    const mid = verified.s.domains.mid.expertLoss;
    expect(mid).toBeGreaterThan(honest.s.domains.mid.expertLoss);
    expect(mid).toBeLessThan(unverified.s.domains.mid.expertLoss / 10);
    // The other domains' ensembles are the honest run's.
    expect(verified.s.domains.easy.ensembleLoss).toBeCloseTo(honest.s.domains.easy.ensembleLoss, 5);
    expect(verified.s.domains.hard.ensembleLoss).toBeCloseTo(honest.s.domains.hard.ensembleLoss, 5);
    // The cached-prior posterior already routed around the wildly poisoned expert, so the
    // held-out loss is the unverified one: what verification buys here is the ledger (no pay, a
    // slash), not the loss; the liar's domain stays without an honest expert.
    expect(verified.s.heldOutLoss).toBeCloseTo(unverified.s.heldOutLoss, 5);
  });

  test("same seed, same bytes", () => {
    expect(run(poison, 1).trace).toBe(verified.trace);
  });

  test("experts of several widths (allocation size) are refused with adversaries or verification", () => {
    expect(() => runArm(trainTestContext(3), { ...arm, allocation: "size", domains: doms.map((d, i) => ({ ...d, weight: i + 1 })), verification: { rate: 1 } })).toThrow("adversaries or verification need experts of one width; allocation size gives widths 8, 16, 24");
  });
});
