// Settlement on anvil (DESIGN: Settlement): the same scenario under memory and anvil ends with
// the same balances, stakes and supply, read back from the chain itself; killing anvil mid-run
// ends `gsim run` with exit code 2 and an incomplete run directory; reconciliation names an
// injected difference. These tests start anvil themselves and stop it by PID.
import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeAbiParameters, keccak256, toHex } from "viem";
import { defaultLedgerConfig } from "../../core/ledger/deployment.ts";
import { MemoryLedger } from "../../core/ledger/memoryLedger.ts";
import { hashBytes, toHex as hex } from "../../core/ml/hash.ts";
import { loadScenario } from "../scenario/index.ts";
import { runScenario } from "../run/runScenario.ts";
import { liveAnvilCount, rpcCall, startAnvil } from "./anvil.ts";
import { AnvilSettlement } from "./anvilSettlement.ts";
import { chainLedgerLines, chainSupplies } from "./chainLedgerLines.ts";
import { ReconciliationError } from "./chainError.ts";
import { lastSettlement, settlementTarget } from "./marketEntry.ts";

const root = join(import.meta.dir, "..", "..");

/** PID of a child process of `parent` whose command is `name` (from /proc), or 0. */
function childNamed(parent: number, name: string): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (m && m[1] === name && Number(m[2]) === parent) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return 0;
}
const scenarioFile = join(root, "scenarios", "market-basic.yaml");
const small = ["workload.jobs=40", "workload.meanInterarrivalS=3"];
const dir = mkdtempSync(join(tmpdir(), "gsim-chain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("market-basic under memory and anvil", () => {
  test("ends with identical balances, stakes and supply, read back from the chain", async () => {
    const scenario = loadScenario(scenarioFile, { sets: small });
    const memory = await runScenario(scenario, { settle: "memory", quiet: true, outDir: join(dir, "parity-memory") });
    const node = await startAnvil({ genesisTimestamp: defaultLedgerConfig.genesisTime });
    settlementTarget.rpc = node.url;
    try {
      const anvil = await runScenario(scenario, { settle: "anvil", quiet: true, outDir: join(dir, "parity-anvil") });
      // The event streams are the same line for line; only run.start names the settlement.
      const events = (d: string) => readFileSync(join(dir, d, "events.jsonl"), "utf8").split("\n");
      const [memoryEvents, anvilEvents] = [events("parity-memory"), events("parity-anvil")];
      expect(anvilEvents.length).toBe(memoryEvents.length);
      expect(anvilEvents[0].replace('"settle":"anvil"', '"settle":"memory"')).toBe(memoryEvents[0]);
      expect(anvilEvents.slice(1)).toEqual(memoryEvents.slice(1));
      expect(readFileSync(join(dir, "parity-anvil", "metrics.csv"), "utf8")).toBe(readFileSync(join(dir, "parity-memory", "metrics.csv"), "utf8"));
      const m = memory.summary.workload as any;
      const a = anvil.summary.workload as any;
      expect(a.settlement).toMatchObject({ kind: "anvil", complete: true });
      expect(a.settlement.ledgerChanges).toBeGreaterThan(500);
      expect(a.jobs).toEqual(m.jobs);
      // Real traces (the default): the games on chain carried the parties' real 32-byte hashes
      // and ended as in memory, ruled by one recomputed op each.
      expect(m.traces).toBe("real");
      expect(m.disputes.count).toBeGreaterThan(3);
      expect(a.disputes).toEqual(m.disputes);
      expect(a.lies).toEqual(m.lies);
      expect(m.disputes.refereeOps).toEqual({ rulings: m.disputes.count, min: 1, max: 1 });
      const claims = memoryEvents.slice(1).filter((l) => l.includes('"dispute.resolved"')).map((l) => JSON.parse(l));
      expect(claims.length).toBe(m.disputes.count);
      for (const c of claims) for (const h of [c.defenderClaimHi, c.challengerClaimHi, c.refereeHash]) expect(h).toMatch(/^0x[0-9a-f]{64}$/);
      expect(a.ledger).toEqual(m.ledger);
      // The chain's own balances, stakes, pending unstakes and supplies hash to the memory run's digest.
      const s = lastSettlement!;
      const accounts = s.memory.accounts();
      const lines = await chainLedgerLines(node.url, accounts, (x) => s.address(x));
      const supply = await chainSupplies(node.url, (x) => s.address(x));
      lines.push(`supply|${supply.gsn}|${supply.usd}`);
      expect(hex(hashBytes(new TextEncoder().encode(lines.join("\n"))))).toBe(m.ledger.digest);
      expect(supply.gsn).toBe(BigInt(m.ledger.gsnSupply));
    } finally {
      settlementTarget.rpc = null;
      await node.stop();
    }
    expect(liveAnvilCount()).toBe(0);
  }, 90_000);
});

describe("a run that ends by duration", () => {
  test("settles what is left, reconciles everything and stops anvil (2-second blocks)", async () => {
    const scenario = loadScenario(scenarioFile, { sets: ["workload.jobs=30", "duration=20m", "workload.blockTimeS=2"] });
    const r = await runScenario(scenario, { settle: "anvil", quiet: true });
    expect(r.summary.endReason).toBe("duration");
    const w = r.summary.workload as any;
    expect(w.jobs.settled).toBeLessThan(30);
    expect(w.settlement).toMatchObject({ kind: "anvil", complete: true });
    expect(w.settlement.ledgerChanges).toBeGreaterThan(300);
    expect(liveAnvilCount()).toBe(0);
  }, 60_000);
});

describe("anvil dies mid-run", () => {
  test("gsim run exits with code 2, names the dead anvil and marks the run directory incomplete", async () => {
    const out = join(dir, "killed");
    const child = spawn(join(root, "node_modules", ".bin", "bun"), [join(root, "sim", "cli.ts"), "run", scenarioFile, "--settle", "anvil", "--out", out, "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Find anvil among gsim's children, let a few blocks settle, then kill it.
    let anvilPid = 0;
    for (let i = 0; i < 200 && anvilPid === 0; i++) {
      await Bun.sleep(50);
      anvilPid = childNamed(child.pid!, "anvil");
    }
    expect(anvilPid).toBeGreaterThan(0);
    await Bun.sleep(1_500);
    process.kill(anvilPid, "SIGKILL");
    // Liveness, not speed: a hung run is killed after 30 s and the test fails.
    const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const code = await exited;
    clearTimeout(guard);
    expect(code).toBe(2);
    expect(stderr).toContain(`anvil (pid ${anvilPid}) died`);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary.status).toBe("incomplete");
    expect(summary.error).toContain("anvil");
  }, 60_000);
});

describe("reconciliation", () => {
  test("a balance changed on chain behind the ledger's back stops settlement naming account, field and both values", async () => {
    const config = defaultLedgerConfig;
    const memory = new MemoryLedger(config);
    const node = await startAnvil({ genesisTimestamp: config.genesisTime });
    try {
      const settlement = await AnvilSettlement.open(memory, { rpc: node.url });
      memory.transfer("deployer", "n5", "GSN", 1_000n);
      await settlement.settle();
      // Inject: n5's Token balance (OpenZeppelin ERC20 _balances, slot 0) gets 7 wei more on chain.
      const slot = keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [settlement.address("n5"), 0n]));
      await rpcCall(node.url, "anvil_setStorageAt", [settlement.address("Token"), slot, toHex(1_007n, { size: 32 })]);
      memory.setTime(config.genesisTime + 1);
      memory.transfer("n5", "n6", "GSN", 10n);
      const err = await settlement.settle().catch((e) => e);
      expect(err).toBeInstanceOf(ReconciliationError);
      expect(err.account).toBe("n5");
      expect(err.field).toBe("GSN balance");
      expect(err.chainValue).toBe("997");
      expect(err.memoryValue).toBe("990");
      expect(err.message).toContain("GSN balance of n5: chain 997, memory 990");
      await settlement.close();
    } finally {
      await node.stop();
    }
  }, 30_000);

  test("a change the chain reverted is named, with its ledger sequence number, in the error's details", async () => {
    const config = defaultLedgerConfig;
    const memory = new MemoryLedger(config);
    const settlement = await AnvilSettlement.open(memory);
    try {
      memory.transfer("deployer", "n5", "GSN", 1_000n);
      await settlement.settle();
      // n5's balance vanishes on chain only: its next transfer reverts there, not in memory.
      const slot = keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [settlement.address("n5"), 0n]));
      await rpcCall(settlement.node.url, "anvil_setStorageAt", [settlement.address("Token"), slot, toHex(0n, { size: 32 })]);
      memory.setTime(config.genesisTime + 1);
      memory.transfer("n5", "n6", "GSN", 10n);
      const err = await settlement.settle().catch((e) => e);
      expect(err).toBeInstanceOf(ReconciliationError);
      expect(err.message).toContain("of n5: chain 0, memory 990");
      expect(err.details).toContain("reverted on chain in that block: #2 transfer(n5, ...) at 1700000001");
    } finally {
      await settlement.close();
    }
  }, 30_000);
});
