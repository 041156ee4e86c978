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
  const trace = new Trace(env);
  const ctx = createRunContext({ env, streams, world, trace, metrics: new Metrics(env), backend: "repops" });
  const ledger = kernelMemoryLedger(ctx);
  const params = marketParamsSchema.parse({
    jobs: 60, submitters: 10, solvers: 60, verifiers: 40, lyingSolverRate: 0.3, meanInterarrivalS: 10, buybackEveryS: 1800, ...over,
  });
  const run = startMarket(ctx, params, ledger, defaultLedgerConfig);
  env.run(run.done);
  return { ledger, summary: run.summary() as Record<string, any>, trace, env };
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

  test("the same seed gives the same events and the same final ledger", () => {
    const a = runMarket(3);
    const b = runMarket(3);
    expect(a.trace.close()).toBe(b.trace.close());
    expect(a.summary.ledger.digest).toBe(b.summary.ledger.digest);
  });
});
