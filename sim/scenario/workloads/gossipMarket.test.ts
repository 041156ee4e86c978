// The gossip-market workload (scenarios/scale-1m.yaml's code path) at a small size: both halves
// run on one world, the market's events are marked synthetic, and a run is byte-reproducible.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runScenario } from "../../run/runScenario.ts";
import { loadScenario } from "../load.ts";

const FILE = join(import.meta.dir, "..", "..", "..", "scenarios", "scale-1m.yaml");
/** scale-1m.yaml shrunk: 4,000 nodes, 20 simulated minutes, a market of 40 agents. */
const SMALL = [
  "nodes.0.count=400", "nodes.1.count=3600", "duration=20m",
  "workload.market.jobs=200", "workload.market.meanInterarrivalS=5",
  "workload.market.submitters=5", "workload.market.solvers=20", "workload.market.verifiers=15",
];

describe("gossip-market", () => {
  test("scale-1m.yaml names it, with the market on synthetic traces", () => {
    const s = loadScenario(FILE);
    expect(s.nodes.reduce((a, g) => a + g.count, 0)).toBe(1_000_000);
    expect(s.workload.kind).toBe("gossip-market");
    expect((s.workload.market as { traces: string }).traces).toBe("synthetic");
  });

  test("heartbeats, rumors and market jobs on one world; the same seed gives the same bytes", async () => {
    const a = await runScenario(loadScenario(FILE, { sets: SMALL }), { quiet: true });
    const b = await runScenario(loadScenario(FILE, { sets: SMALL }), { quiet: true });
    expect(b.eventsHash).toBe(a.eventsHash);
    const w = a.summary.workload as any;
    // 4,000 nodes beating every 5 minutes for 20 minutes, about 0.9 of them up: ~14,400 beats.
    expect(w.gossip.heartbeats.sent).toBeGreaterThan(12_000);
    expect(w.gossip.heartbeats.sent).toBeLessThan(16_000);
    expect(w.gossip.rumors.count).toBeGreaterThanOrEqual(1);
    expect(w.market.traces).toBe("synthetic");
    expect(w.market.agents).toMatchObject({ submitters: 5, solvers: 20, verifiers: 15 });
    // One job posted every 5 s on average over 20 minutes: ~240, capped at the 200 asked for.
    expect(w.market.ledger.jobCount).toBeGreaterThan(150);
    expect(w.market.ledger.jobCount).toBeLessThanOrEqual(200);
    const c = await runScenario(loadScenario(FILE, { sets: SMALL }), { quiet: true, seed: 2 });
    expect(c.eventsHash).not.toBe(a.eventsHash);
  }, 60_000);

  test("refuses anvil settlement with a clear error", async () => {
    await expect(runScenario(loadScenario(FILE, { sets: SMALL }), { quiet: true, settle: "anvil" })).rejects.toThrow(/gossip-market settles in memory only, got settle: anvil/);
  });
});
