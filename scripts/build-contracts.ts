// Builds the contracts with forge (offline, solc-js shim) and writes contracts/artifacts/<Name>.json
// ({contractName, abi, bytecode}) for sim/chain; `--check` fails when the committed ones differ.
// Usage: node_modules/.bin/bun scripts/build-contracts.ts [--check]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const artifactsDir = join(root, "contracts", "artifacts");

/** The deployable contracts (core/ledger/deployment.ts ContractName). */
export const CONTRACTS = [
  "Token", "StableToken", "Staking", "ConstantProductPool", "BuybackVault",
  "JobMarket", "DisputeGame", "SwarmCoordinator", "PredictionMarket",
] as const;

export interface Artifact {
  contractName: string;
  abi: unknown[];
  bytecode: `0x${string}`;
}

/** Compiles into a private temporary out/cache (so a concurrent build is not disturbed) and
 * returns each contract's artifact text, exactly as it is committed. */
export function buildArtifacts(): Map<string, string> {
  const tmp = mkdtempSync(join(tmpdir(), "gsim-forge-"));
  try {
    const forge = join(root, "node_modules", ".bin", "forge");
    const r = spawnSync(forge, ["build", "--offline", "--out", join(tmp, "out"), "--cache-path", join(tmp, "cache"), "--skip", "test"], {
      cwd: root, encoding: "utf8", maxBuffer: 1 << 28,
    });
    if (r.status !== 0) {
      throw new Error(`forge build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    const out = new Map<string, string>();
    for (const name of CONTRACTS) {
      const raw = JSON.parse(readFileSync(join(tmp, "out", `${name}.sol`, `${name}.json`), "utf8"));
      const artifact: Artifact = { contractName: name, abi: raw.abi, bytecode: raw.bytecode.object };
      out.set(name, JSON.stringify(artifact, null, 1) + "\n");
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Names of committed artifacts that differ from (or are missing for) a fresh build. */
export function staleArtifacts(fresh: Map<string, string>): string[] {
  const stale: string[] = [];
  for (const [name, text] of fresh) {
    const file = join(artifactsDir, `${name}.json`);
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) stale.push(name);
  }
  return stale;
}

if (import.meta.main) {
  const fresh = buildArtifacts();
  if (process.argv.includes("--check")) {
    const stale = staleArtifacts(fresh);
    if (stale.length > 0) {
      console.error(`contracts/artifacts out of date: ${stale.join(", ")}; run: node_modules/.bin/bun scripts/build-contracts.ts`);
      process.exit(1);
    }
    console.log(`contracts/artifacts: ${fresh.size} up to date`);
  } else {
    mkdirSync(artifactsDir, { recursive: true });
    for (const [name, text] of fresh) writeFileSync(join(artifactsDir, `${name}.json`), text);
    console.log(`wrote ${fresh.size} artifacts to contracts/artifacts`);
  }
}
