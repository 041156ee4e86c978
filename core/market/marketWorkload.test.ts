// The market workload on the in-memory ledger: every job settles; with real traces lies are caught
// by comparing real result hashes and honest parties win every dispute on the referee's one-op
// recomputation; the ledger's conservation rules hold (REFERENCE §1, §3, §9).
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../des/index.ts";
import { defaultLedgerConfig } from "../ledger/deployment.ts";
import { createRunContext } from "../run/context.ts";
import { Metrics } from "../run/metrics.ts";
import { Trace } from "../run/trace.ts";
import { World } from "../world/world.ts";
import { ADVERSARY_KINDS } from "../agents/index.ts";
import { marketParamsSchema, type MarketParams } from "./marketParams.ts";
import { kernelMemoryLedger, startMarket } from "./marketWorkload.ts";

function runMarket(seed: number, over: Partial<MarketParams> = {}) {
  const env = new Environment();
  const streams = new RngStreams(seed);
  const world = new World(env, streams, {
    groups: [{ count: 150, hardware: { h100: 0.2, rtx4090: 0.4, rtx3060: 0.4 }, regions: { "us-east": 0.5, "eu-west": 0.5 }, link: { datacenter: 0.5, cable: 0.5 } }],
    network: { loss: 0, jitter: 0, partitions: [] },
    churn: null,
    computeJitter: 0.1,
  });
  const lines: string[] = [];
  const trace = new Trace(env, (chunk) => lines.push(...chunk.trimEnd().split("\n")));
  const ctx = createRunContext({ env, streams, world, trace, metrics: new Metrics(env), backend: "repops" });
  const ledger = kernelMemoryLedger(ctx, defaultLedgerConfig, over.blockTimeS ?? 1);
  const params = marketParamsSchema.parse({
    jobs: 60, submitters: 10, solvers: 60, verifiers: 40, lyingSolverRate: 0.3, meanInterarrivalS: 10, buybackEveryS: 1800, steps: 16, ...over,
  });
  const run = startMarket(ctx, params, ledger, defaultLedgerConfig);
  env.run(run.done);
  const summary = run.summary() as Record<string, any>;
  trace.close();
  return { ledger, summary, trace, env, roles: run.roles, events: lines.map((l) => JSON.parse(l)) };
}

const dispute = (e: any) => e.type === "dispute.resolved";

describe("market workload on real traces (the default)", () => {
  test("with full replication every wrong result is caught, by real hashes, and no honest party loses or is slashed", () => {
    const { summary, ledger, events } = runMarket(7);
    expect(summary.traces).toBe("real");
    expect(summary.jobs.settled).toBe(60);
    expect(summary.jobs.paid + summary.jobs.rejected + summary.jobs.cancelled).toBe(60);
    expect(summary.jobs.reexecutions).toBe(summary.jobs.assignedVerifiers);
    expect(summary.lies.committed).toBeGreaterThan(5);
    expect(summary.lies.committed).toBe(summary.lies.attempted); // wrong-op always changes bits
    expect(summary.lies.caught).toBe(summary.lies.committed);
    expect(summary.lies.missed).toBe(0);
    expect(summary.disputes.skippedChallenges).toBe(0);
    expect(summary.jobs.rejected).toBe(summary.lies.committed);
    expect(summary.disputes.byOutcome.ChallengerWon).toBeGreaterThanOrEqual(summary.lies.committed);
    expect(summary.disputes.honestLost).toBe(0);
    expect(summary.honestSlashed).toBe(0);
    // One op recomputed per ruling; Verde's off-chain referee agrees with every chain ruling.
    expect(summary.disputes.refereeOps).toEqual({ rulings: summary.disputes.count, min: 1, max: 1 });
    expect(summary.disputes.crossCheck).toMatchObject({ enabled: true, checked: summary.disputes.count, agree: summary.disputes.count, sameStepAndNode: summary.disputes.count, disagreeWithHonestParty: 0 });
    // The slashes the summary reports are what the ledger took from stakes.
    expect(BigInt(summary.ledger.slashed)).toBe(BigInt(summary.disputes.count) * defaultLedgerConfig.dispute.slashAmount);
    const escrow = ledger.escrow();
    expect(escrow.posted).toBe(escrow.escrowed + escrow.paidOut + escrow.refunded);
    expect(escrow.escrowed).toBe(0n);
    expect(ledger.burned()).toBeGreaterThan(0n);
    expect(ledger.totalSupply("GSN") + ledger.burned()).toBe(10_000_000_000n * 10n ** 18n);
    // Commitments and claims on the ledger are real 32-byte hashes, and they differ per job.
    const roots = events.filter((e) => e.type === "job.committed").map((e) => e.root);
    for (const r of roots) expect(r).toMatch(/^0x[0-9a-f]{64}$/);
    expect(new Set(roots).size).toBe(roots.length);
    for (const d of events.filter(dispute)) {
      expect(d.refereeHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect([d.defenderClaimHi, d.challengerClaimHi]).toContain(d.refereeHash);
    }
  });

  test("lying verifiers re-execute as the adversary, challenge honest solvers, lose to the referee and are slashed", () => {
    const { summary, ledger, roles } = runMarket(11, { lyingSolverRate: 0, lyingVerifierRate: 0.3 });
    expect(summary.disputes.count).toBeGreaterThan(3);
    expect(summary.disputes.falseChallenges).toBe(summary.disputes.count);
    expect(summary.disputes.byOutcome.DefenderWon).toBe(summary.disputes.count);
    expect(summary.disputes.honestLost).toBe(0);
    expect(summary.jobs.paid).toBe(60);
    const stake = 10_000n * 10n ** 18n;
    const slashedLiars = roles.verifiers.filter((v) => v.lying && ledger.stakeOf(v.account) < stake).length;
    expect(slashedLiars).toBeGreaterThan(0);
    expect(summary.honestSlashed).toBe(0);
  });

  test("several challenges per job: lying verifiers challenging too never save a lying solver", () => {
    const { summary } = runMarket(13, { lyingVerifierRate: 0.4, verifiersPerJob: 3 });
    expect(summary.lies.committed).toBeGreaterThan(0);
    expect(summary.lies.catchRate).toBe(1);
    expect(summary.disputes.jobsWithSeveral).toBeGreaterThan(0);
    expect(summary.disputes.honestLost).toBe(0);
    expect(summary.ledger.bondsHeld).toBe("0");
  });

  test("with sampled re-execution some lies are paid, and the catch rate follows 1-(1-f)^verifiers", () => {
    const { summary } = runMarket(17, { jobs: 80, lyingSolverRate: 0.6, verifySampleFraction: 0.4, verifiersPerJob: 1 });
    expect(summary.jobs.reexecutions).toBeLessThan(summary.jobs.assignedVerifiers);
    expect(summary.lies.committed).toBeGreaterThan(25);
    expect(summary.lies.missed).toBeGreaterThan(0);
    expect(summary.lies.caught + summary.lies.missed).toBe(summary.lies.committed);
    expect(summary.lies.expectedCatchRate).toBeCloseTo(0.4, 5);
    expect(Math.abs(summary.lies.catchRate - summary.lies.expectedCatchRate)).toBeLessThan(0.2);
    expect(summary.disputes.honestLost).toBe(0);
  });

  test("every core/agents adversary kind as solver and verifier: every wrong result caught, no honest party loses", () => {
    for (const adversary of ADVERSARY_KINDS) {
      const { summary } = runMarket(21, { jobs: 16, adversary, lyingSolverRate: 0.4, lyingVerifierRate: 0.1 });
      expect([adversary, summary.lies.committed > 0]).toEqual([adversary, true]);
      expect([adversary, summary.lies.catchRate, summary.disputes.honestLost, summary.honestSlashed]).toEqual([adversary, 1, 0, 0]);
      // Verde's off-chain referee names the chain's winner in every dispute with an honest party.
      // Between two liars it may not: Verde rejects an inconsistent commitment off chain, while
      // the chain sees only the real hashes (seed 21, inconsistent: 1 of 10 disputes).
      const { agree, disagreeWithHonestParty } = summary.disputes.crossCheck;
      expect([adversary, disagreeWithHonestParty]).toEqual([adversary, 0]);
      expect(agree).toBeGreaterThanOrEqual(summary.disputes.count - summary.disputes.liarVsLiar);
      if (adversary !== "inconsistent") expect([adversary, agree]).toEqual([adversary, summary.disputes.count]);
    }
  });

  test("a stalling solver loses by timeout: no referee op, and still no honest party loses", () => {
    const { summary } = runMarket(19, { jobs: 30, adversary: "stalling", lyingSolverRate: 0.4 });
    expect(summary.lies.committed).toBeGreaterThan(0);
    expect(summary.disputes.byReason.timeout).toBeGreaterThan(0);
    expect(summary.lies.catchRate).toBe(1);
    expect(summary.disputes.honestLost).toBe(0);
  });

  test("with 2-second blocks every change lands at an even chain time and every job still settles", () => {
    const { summary, ledger } = runMarket(9, { blockTimeS: 2 });
    expect(summary.jobs.settled).toBe(60);
    expect((ledger.now() - defaultLedgerConfig.genesisTime) % 2).toBe(0);
    for (let id = 1; id <= ledger.jobCount(); id++) {
      const j = ledger.job(id);
      if (j.committedAt > 0) expect((j.committedAt - defaultLedgerConfig.genesisTime) % 2).toBe(0);
    }
  });

  test("the same seed gives the same events and the same final ledger", () => {
    const a = runMarket(3, { jobs: 30 });
    const b = runMarket(3, { jobs: 30 });
    expect(a.trace.close()).toBe(b.trace.close());
    expect(a.events.length).toBeGreaterThan(100);
    expect(a.summary.ledger.digest).toBe(b.summary.ledger.digest);
  });
});

describe("synthetic traces", () => {
  test("are opt-in: the default is real, and referee: synthetic alone is refused with a pointer to traces", () => {
    expect(marketParamsSchema.parse({}).traces).toBe("real");
    const bad = marketParamsSchema.safeParse({ referee: "synthetic" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].message).toContain("traces: synthetic");
    expect(marketParamsSchema.parse({ referee: "verde" }).traces).toBe("real");
  });

  test("when asked for, the summary and every job event say synthetic, and nothing claims a referee op", () => {
    const { summary, events } = runMarket(7, { traces: "synthetic", lyingVerifierRate: 0.1 });
    expect(summary.traces).toBe("synthetic");
    expect(summary.jobs.settled).toBe(60);
    expect(summary.disputes.count).toBeGreaterThan(0);
    expect(summary.disputes.refereeOps.max).toBe(0);
    expect(summary.disputes.crossCheck.enabled).toBe(false);
    const jobEvents = events.filter((e) => e.type.startsWith("job.") || dispute(e));
    expect(jobEvents.length).toBeGreaterThan(100);
    for (const e of jobEvents) expect(e.traces).toBe("synthetic");
    expect(events.find((e) => e.type === "market.start").traces).toBe("synthetic");
  });
});
