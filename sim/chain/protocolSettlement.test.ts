// The protocol workload settled on anvil (DESIGN: Settlement): every contribution's job, stake,
// challenge, DisputeGame move carrying a real 32-byte trace hash, ruling, slash, payout and buyback
// is a transaction; the chain is reconciled with the in-memory ledger after every block, and the
// run gives the same events and the same final ledger as the embedded settlement. Anvil is started
// and stopped by the settlement itself.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../scenario/index.ts";
import { runScenario } from "../run/runScenario.ts";
import { liveAnvilCount } from "./anvil.ts";

const root = join(import.meta.dir, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "gsim-protocol-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const small = [
  "workload.training.workers=8",
  "workload.training.steps=30",
  "workload.training.adversaries={fraction: 0.125, kinds: [poison, stalling], scale: 4}",
  "workload.training.verification.rate=1",
];

describe("protocol-e2e (small) under memory and anvil", () => {
  test("same events line for line, same final ledger, every block reconciled", async () => {
    const scenario = loadScenario(join(root, "scenarios", "protocol-e2e.yaml"), { sets: small });
    const memory = await runScenario(scenario, { settle: "memory", quiet: true, outDir: join(dir, "memory") });
    const anvil = await runScenario(scenario, { settle: "anvil", quiet: true, outDir: join(dir, "anvil") });
    const events = (d: string) => readFileSync(join(dir, d, "events.jsonl"), "utf8").split("\n");
    const [m, a] = [events("memory"), events("anvil")];
    expect(a.length).toBe(m.length);
    expect(a[0].replace('"settle":"anvil"', '"settle":"memory"')).toBe(m[0]);
    expect(a.slice(1)).toEqual(m.slice(1));
    const { settlement: sm, ...wm } = memory.summary.workload as any;
    const { settlement: sa, ...wa } = anvil.summary.workload as any;
    expect(sm).toEqual({ kind: "memory" });
    expect(sa).toMatchObject({ kind: "anvil", complete: true });
    expect(sa.reconciledValues).toBeGreaterThan(0);
    expect(wa).toEqual(wm);
    // Both liars were challenged and lost on chain; the games' claims were real hashes.
    expect(wm.training.protocol.disputes.byOutcome).toEqual({ ChallengerWon: 2 });
    const claims = m.filter((l) => l.includes('"type":"dispute.resolved"')).map((l) => JSON.parse(l));
    for (const c of claims) expect(c.defenderClaimHi).toMatch(/^0x[0-9a-f]{64}$/);
    expect(liveAnvilCount()).toBe(0);
  }, 240_000);
});
