// Whole scenarios through the scenario runner give byte-identical run files under Bun and Node
// (REFERENCE §2: only reproducible math; DESIGN: Determinism): a DiLoCo-vs-DDP train-compare run
// (real training on repops, outer steps, all-reduce) and a market run (real job traces, Verde
// disputes, the embedded ledger). A small driver calling loadScenario's parser and runScenario is
// bundled for Node with `bun build --target=node --packages=external` (STACK: Checked later); each
// bundled module gets its own import.meta.dir/url back, which the bundle would otherwise lose.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = join(import.meta.dir, "..", "..");
const BUN = join(ROOT, "node_modules", ".bin", "bun");
// Inside the repository, so the bundle's external packages resolve from its node_modules.
const DIR = join(ROOT, "tmp", `scenario-cross-runtime-${process.pid}`);

const TRAIN = `name: xrt-train
seed: 5
duration: 2h
nodes: {count: 4, hardware: h100, regions: {us-east: 0.5, eu-west: 0.5}, link: cloud, churn: false}
network: {loss: 0, jitter: 0.1}
workload:
  kind: train-compare
  arms:
    - {name: ddp, kind: ddp, steps: 24, curve: false}
    - {name: diloco, kind: diloco, H: 6, steps: 24, curve: false}
`;

const MARKET = `name: xrt-market
seed: 3
duration: 2h
nodes:
  - {count: 24, hardware: {h100: 0.5, rtx4090: 0.5}, regions: {us-east: 0.5, eu-west: 0.5}, link: {fiber: 0.5, cable: 0.5}, churn: false}
workload:
  kind: market
  jobs: 12
  submitters: 4
  solvers: 10
  verifiers: 8
  verifiersPerJob: 2
  meanInterarrivalS: 5
  steps: 8
  traces: real
  adversary: wrong-op
  lyingSolverRate: 0.3
  lyingVerifierRate: 0.2
  buybackEveryS: 1800
`;

const DRIVER = `import { parseScenario, parseScenarioText } from ${JSON.stringify(join(ROOT, "sim/scenario/load.ts"))};
import { runScenario } from ${JSON.stringify(join(ROOT, "sim/run/runScenario.ts"))};
const [name, text, out] = process.argv.slice(2);
const r = await runScenario(parseScenario(parseScenarioText(text, name), name), { outDir: out, quiet: true });
console.log(r.eventsHash);
process.exit(0);
`;

/**
 * The bundle with each module's import.meta.dir / import.meta.url replaced by its source file's
 * (bun build marks each module with a `// path/to/module.ts` line, relative to the repository).
 */
function restoreModulePaths(bundle: string, root: string): string {
  let here: string | null = null;
  return bundle
    .split("\n")
    .map((line) => {
      const m = /^\/\/ ((?:core|sim|tmp)\/[\w./-]+\.ts)$/.exec(line);
      if (m && existsSync(join(root, m[1]))) here = join(root, m[1]);
      if (here === null || !line.includes("import.meta.")) return line;
      return line.replaceAll("import.meta.dir", JSON.stringify(dirname(here))).replaceAll("import.meta.url", JSON.stringify(pathToFileURL(here).href));
    })
    .join("\n");
}

let bundle = "";
beforeAll(() => {
  mkdirSync(DIR, { recursive: true });
  const src = join(DIR, "driver.ts");
  writeFileSync(src, DRIVER);
  bundle = join(DIR, "driver.mjs");
  const build = spawnSync(BUN, ["build", src, "--target=node", "--packages=external", "--outfile", bundle], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`bun build failed: ${build.stderr}`);
  writeFileSync(bundle, restoreModulePaths(readFileSync(bundle, "utf8"), ROOT));
});
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** Run `scenario` under both engines; the run directories' files, by engine. */
function bothEngines(name: string, scenario: string): Record<"bun" | "node", { hash: string; events: string; summary: string }> {
  const out = {} as Record<"bun" | "node", { hash: string; events: string; summary: string }>;
  for (const [engine, cmd] of [["bun", [BUN, join(DIR, "driver.ts")]], ["node", ["node", bundle]]] as const) {
    const dir = join(DIR, `${name}-${engine}`);
    const r = spawnSync(cmd[0], [cmd[1], name, scenario, dir], { encoding: "utf8", cwd: ROOT });
    expect({ engine, status: r.status, stderr: r.stderr }).toEqual({ engine, status: 0, stderr: "" });
    out[engine] = { hash: r.stdout.trim(), events: readFileSync(join(dir, "events.jsonl"), "utf8"), summary: readFileSync(join(dir, "summary.json"), "utf8") };
  }
  return out;
}

describe("whole scenarios under Bun and Node", () => {
  test("bundle: every import.meta of sim/ and core/ points at its own source file", () => {
    const text = readFileSync(bundle, "utf8");
    expect(text).not.toContain("import.meta.dir");
    expect(text).not.toMatch(/from "bun:/);
    expect(text).toContain(JSON.stringify(join(ROOT, "sim", "chain"))); // anvil.ts / artifacts.ts locate their files
  });

  test("a DiLoCo-vs-DDP train-compare run: byte-identical events.jsonl and summary.json", () => {
    const { bun, node } = bothEngines("train", TRAIN);
    expect(bun.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(node.hash).toBe(bun.hash);
    expect(node.events === bun.events).toBe(true);
    expect(node.summary === bun.summary).toBe(true);
    // A real run: both arms trained and DiLoCo synced (24 steps, H = 6: 4 outer steps).
    const w = JSON.parse(bun.summary).workload;
    expect({ arms: w.arms, ddpSyncs: w.ddp.syncs, dilocoSyncs: w.diloco.syncs }).toEqual({ arms: ["ddp", "diloco"], ddpSyncs: 24, dilocoSyncs: 4 });
    expect(w.diloco.heldOutLoss).toBeLessThan(w.diloco.initialHeldOutLoss);
  }, 120_000);

  test("a market run (real job traces, disputes, ledger): byte-identical events.jsonl and summary.json", () => {
    const { bun, node } = bothEngines("market", MARKET);
    expect(node.hash).toBe(bun.hash);
    expect(node.events === bun.events).toBe(true);
    expect(node.summary === bun.summary).toBe(true);
    // A real market: lies committed and caught, disputes ruled by the referee's one-op recomputation.
    const w = JSON.parse(bun.summary).workload;
    expect({ settled: w.jobs.settled, caughtAll: w.lies.caught === w.lies.committed, honestLost: w.disputes.honestLost }).toEqual({ settled: 12, caughtAll: true, honestLost: 0 });
    expect(w.lies.committed).toBeGreaterThan(0);
    expect(w.disputes.count).toBeGreaterThan(0);
  }, 120_000);
});
