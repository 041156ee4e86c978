// The delphi workload settled on anvil (DESIGN: Settlement): market creation, trades, judge jobs,
// the lying judge's DisputeGame, slashes, resolution from the Paid judge job, redemptions and
// buybacks are transactions; the chain is reconciled after every block and the run gives the same
// events and the same final ledger as the embedded settlement. Bad market parameters exit 2.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadScenario } from "../scenario/index.ts";
import { runScenario } from "../run/runScenario.ts";
import { liveAnvilCount } from "./anvil.ts";

const root = join(import.meta.dir, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "gsim-delphi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const small = ["workload.markets=2", "workload.traders=6", "workload.buybackEveryS=1800"];

describe("delphi-verified (small) under memory and anvil", () => {
  test("same events line for line, same final ledger, every block reconciled", async () => {
    const scenario = loadScenario(join(root, "scenarios", "delphi-verified.yaml"), { sets: small });
    const memory = await runScenario(scenario, { settle: "memory", quiet: true, outDir: join(dir, "memory") });
    const anvil = await runScenario(scenario, { settle: "anvil", quiet: true, outDir: join(dir, "anvil") });
    const events = (d: string) => readFileSync(join(dir, d, "events.jsonl"), "utf8").split("\n");
    const [m, a] = [events("memory"), events("anvil")];
    expect(a.length).toBe(m.length);
    expect(a.slice(1)).toEqual(m.slice(1));
    const { settlement: sm, ...wm } = memory.summary.workload as any;
    const { settlement: sa, ...wa } = anvil.summary.workload as any;
    expect(sm).toEqual({ kind: "memory" });
    expect(sa).toMatchObject({ kind: "anvil", complete: true });
    expect(sa.reconciledValues).toBeGreaterThan(0);
    expect(wa).toEqual(wm);
    // Both markets resolved, every lie was caught on chain, and the markets paid out all their collateral.
    expect(wm.resolved).toBe(2);
    expect(wm.judge.liesCaught).toBe(wm.judge.lies);
    expect(wm.judge.lies).toBeGreaterThan(0);
    expect(wm.collateralLeftUsd).toBe(0);
    expect(m.some((l) => l.includes('"type":"dispute.resolved"'))).toBe(true);
    expect(liveAnvilCount()).toBe(0);
  }, 240_000);
});

describe("bad market parameters", () => {
  const base = readFileSync(join(root, "scenarios", "delphi-verified.yaml"), "utf8").replace(/\nchecks:[\s\S]*$/, "\n");
  for (const [what, line, message] of [
    ["no outcomes", "  outcomes: 0", "workload.outcomes"],
    ["a resolution time in the past", "  resolveAfterS: -60", "workload.resolveAfterS"],
    ["a negative fee", "  tradingFeeBps: -5", "workload.tradingFeeBps"],
  ] as const) {
    test(`${what}: gsim check exits 2 naming the scenario path and the key`, () => {
      const file = join(dir, `bad-${line.trim().split(":")[0]}.yaml`);
      writeFileSync(file, base.replace("  outcomes: 2", line === "  outcomes: 0" ? line : `  outcomes: 2\n${line}`));
      const r = Bun.spawnSync([process.execPath, join(root, "sim", "cli.ts"), "check", file], { cwd: root, stdout: "pipe", stderr: "pipe" });
      const out = r.stdout.toString() + r.stderr.toString();
      expect(r.exitCode).toBe(2);
      expect(out).toContain(file);
      expect(out).toContain(message);
    });
  }
});
