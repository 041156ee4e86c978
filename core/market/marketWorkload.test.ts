// The market workload on the in-memory ledger: every job settles, lies are caught, the honest
// party wins every dispute, and the ledger's conservation rules hold (REFERENCE §1, §3, §9).
import { describe, expect, test } from "bun:test";
import { Environment, RngStreams } from "../des/index.ts";
import { defaultLedgerConfig } from "../ledger/deployment.ts";
import { createRunContext } from "../run/context.ts";
import { Metrics } from "../run/metrics.ts";
import { Trace } from "../run/trace.ts";
import { World } from "../world/world.ts";
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
  return { ledger, summary, trace, env, events: lines.map((l) => JSON.parse(l)) };
}

describe("market workload on the memory ledger", () => {
  test("every job settles; with full replication every lie is caught and honest parties never lose", () => {
    const { summary, ledger } = runMarket(7);
    expect(summary.jobs.settled).toBe(60);
    expect(summary.jobs.paid + summary.jobs.rejected + summary.jobs.cancelled).toBe(60);
    expect(summary.lies.committed).toBeGreaterThan(0);
    expect(summary.lies.caught).toBe(summary.lies.committed);
    expect(summary.jobs.rejected).toBe(summary.lies.committed);
    expect(summary.disputes.challengerWon).toBe(summary.lies.committed);
    expect(summary.disputes.honestLost).toBe(0);
    const escrow = ledger.escrow();
    expect(escrow.posted).toBe(escrow.escrowed + escrow.paidOut + escrow.refunded);
    expect(escrow.escrowed).toBe(0n);
    // The vault got its protocol fees and bought back: some GSN burned, supply never above 10B.
    expect(ledger.burned()).toBeGreaterThan(0n);
    expect(ledger.totalSupply("GSN") + ledger.burned()).toBe(10_000_000_000n * 10n ** 18n);
  });

  test("lying verifiers lose their disputes against honest solvers and are slashed", () => {
    const { summary } = runMarket(11, { lyingSolverRate: 0, lyingVerifierRate: 0.3 });
    expect(summary.disputes.count).toBeGreaterThan(0);
    expect(summary.disputes.defenderWon).toBe(summary.disputes.count);
    expect(summary.disputes.honestLost).toBe(0);
    expect(summary.jobs.paid).toBe(60);
  });

  test("several challenges per job: lying verifiers challenging first never save a lying solver", () => {
    const { summary } = runMarket(13, { lyingVerifierRate: 0.4, verifiersPerJob: 3 });
    expect(summary.lies.committed).toBeGreaterThan(0);
    expect(summary.lies.catchRate).toBe(1);
    expect(summary.disputes.jobsWithSeveral).toBeGreaterThan(0);
    expect(summary.disputes.honestLost).toBe(0);
    expect(summary.ledger.bondsHeld).toBe("0");
  });

  test("disputes go to Verde; the chain's bisection ends at Verde's step and rules for Verde's winner", () => {
    const { events } = runMarket(5, { lyingVerifierRate: 0.1 });
    const verdicts = new Map(events.filter((e) => e.type === "verde.verdict").map((e) => [e.game, e]));
    const resolved = events.filter((e) => e.type === "dispute.resolved");
    const assigned = new Map(events.filter((e) => e.type === "job.assigned").map((e) => [e.job, e.solver]));
    expect(resolved.length).toBeGreaterThan(3);
    for (const r of resolved) {
      const v = verdicts.get(r.game)!;
      expect(v.reason).toBe("recomputed-op");
      expect(v.refereeFlops).toBeLessThan(v.fullFlops);
      expect(r.step).toBe(v.step);
      const expected = v.losers.includes(",") ? "BothWrong" : v.winner === assigned.get(r.job) ? "DefenderWon" : "ChallengerWon";
      expect(r.outcome).toBe(expected);
    }
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
    const a = runMarket(3);
    const b = runMarket(3);
    expect(a.trace.close()).toBe(b.trace.close());
    expect(a.events.length).toBeGreaterThan(100);
    expect(a.summary.ledger.digest).toBe(b.summary.ledger.digest);
  });
});
