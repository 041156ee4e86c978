// Test helpers for sweeps: a small tokenomics sweep file, directory digests, free ports, redis.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

/** A sweep of `combos` burn shares x 2 demand rows over `seeds` seeds, `days` days each. */
export function writeSmallSweep(dir: string, o: { burnShares?: number[]; seeds?: number; days?: number } = {}): string {
  const file = join(dir, "small-sweep.yaml");
  const days = o.days ?? 30;
  writeFileSync(file, `name: small-sweep
seed: 1
duration: ${days + 1}d
nodes: {count: 1, hardware: cpu, regions: us-east}
workload: {kind: tokenomics, days: ${days}, ticksPerDay: 6, buyback: {executionsPerDay: 6}}
sweep:
  grid: {workload.buyback.burnShare: [${(o.burnShares ?? [0.3, 0.9]).join(", ")}]}
  zip: {workload.demand.baseFeesPerDay: [1000000, 4000000], workload.demand.annualGrowth: [0, 1]}
seeds: {from: 1, count: ${o.seeds ?? 3}}
`);
  return file;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gsim-${prefix}-`));
}

/** relative path -> sha256 of every file under dir; manifest.json without its git field. */
export function digestDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        let bytes: string | Buffer = readFileSync(p);
        if (name === "manifest.json") {
          const m = JSON.parse(bytes.toString("utf8"));
          delete m.git; // the HEAD may move between two runs while others commit
          bytes = JSON.stringify(m);
        }
        out[relative(dir, p)] = createHash("sha256").update(bytes).digest("hex");
      }
    }
  };
  walk(dir);
  return out;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Starts redis-server on a free loopback port; kill it by its pid. */
export async function startRedis(): Promise<{ url: string; proc: ReturnType<typeof Bun.spawn> }> {
  const port = await freePort();
  const proc = Bun.spawn(["redis-server", "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdout: "ignore", stderr: "ignore" });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((res) => {
      const s = require("node:net").connect(port, "127.0.0.1");
      s.once("connect", () => { s.destroy(); res(true); });
      s.once("error", () => res(false));
    });
    if (ok) return { url: `redis://127.0.0.1:${port}`, proc };
    await Bun.sleep(50);
  }
  proc.kill();
  throw new Error(`redis-server did not start on port ${port}`);
}

export const ROOT = join(import.meta.dir, "..", "..");
export const CLI = join(ROOT, "sim", "cli.ts");

export function pointIds(dir: string): string[] {
  const p = join(dir, "points");
  return existsSync(p) ? readdirSync(p).filter((n) => /^p\d+-s\d+$/.test(n) && existsSync(join(p, n, "summary.json"))).sort() : [];
}
