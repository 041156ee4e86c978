// The inference workload settled on anvil (DESIGN: Settlement): each job's escrow, commit, the
// deviating solvers' challenges, DisputeGame moves with real trace hashes, rulings, slashes,
// payouts and buybacks are transactions; same events and final ledger as the embedded settlement.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../scenario/index.ts";
import { runScenario } from "../run/runScenario.ts";
import { liveAnvilCount } from "./anvil.ts";

const root = join(import.meta.dir, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "gsim-inference-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("inference-jobs (small) under memory and anvil", () => {
  test("same events line for line, same final ledger, every block reconciled", async () => {
    const scenario = loadScenario(join(root, "scenarios", "inference-jobs.yaml"), { sets: ["workload.jobs=6"] });
    const memory = await runScenario(scenario, { settle: "memory", quiet: true, outDir: join(dir, "memory") });
    const anvil = await runScenario(scenario, { settle: "anvil", quiet: true, outDir: join(dir, "anvil") });
    const events = (d: string) => readFileSync(join(dir, d, "events.jsonl"), "utf8").split("\n");
    const [m, a] = [events("memory"), events("anvil")];
    expect(a.slice(1)).toEqual(m.slice(1));
    const { settlement: sm, ...wm } = memory.summary.workload as any;
    const { settlement: sa, ...wa } = anvil.summary.workload as any;
    expect(sm).toEqual({ kind: "memory" });
    expect(sa).toMatchObject({ kind: "anvil", complete: true });
    expect(wa).toEqual(wm);
    expect(wm.jobs).toBe(6);
    expect(wm.disputes).toBeGreaterThan(0);
    expect(wm.dishonestPaid).toBe(0);
    expect(liveAnvilCount()).toBe(0);
  }, 240_000);
});
