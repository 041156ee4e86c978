// manifest.json: everything needed to reproduce a run (resolved scenario, seed, versions).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (computed on use: no work at import, and it works under Node too). */
const root = () => join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Manifest {
  gsim: string;
  /** The scenario exactly as it ran (defaults filled, durations in microseconds). */
  scenario: Record<string, unknown>;
  seed: number;
  backend: string;
  settle: string;
  source: { file: string | null; sets: string[] };
  git: { commit: string | null; dirty: boolean | null };
  runtime: { bun: string | null; node: string };
  packages: Record<string, string>;
}

let cachedGit: Manifest["git"] | null = null;
let cachedPackages: Record<string, string> | null = null;

function git(): Manifest["git"] {
  if (cachedGit !== null) return cachedGit;
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root(), encoding: "utf8" });
  const commit = head.status === 0 ? head.stdout.trim() : null;
  const status = commit ? spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root(), encoding: "utf8" }) : null;
  cachedGit = { commit, dirty: status && status.status === 0 ? status.stdout.trim().length > 0 : null };
  return cachedGit;
}

function packages(): Record<string, string> {
  if (cachedPackages !== null) return cachedPackages;
  const pkg = JSON.parse(readFileSync(join(root(), "package.json"), "utf8"));
  const out: Record<string, string> = {};
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).sort()) {
    const p = join(root(), "node_modules", name, "package.json");
    out[name] = existsSync(p) ? JSON.parse(readFileSync(p, "utf8")).version : "missing";
  }
  cachedPackages = out;
  return out;
}

export function buildManifest(o: { scenario: Record<string, unknown>; seed: number; backend: string; settle: string; file?: string | null; sets?: string[] }): Manifest {
  const pkg = JSON.parse(readFileSync(join(root(), "package.json"), "utf8"));
  return {
    gsim: pkg.version,
    scenario: o.scenario,
    seed: o.seed,
    backend: o.backend,
    settle: o.settle,
    source: { file: o.file ?? null, sets: o.sets ?? [] },
    git: git(),
    runtime: { bun: typeof Bun !== "undefined" ? Bun.version : null, node: process.versions.node },
    packages: packages(),
  };
}
