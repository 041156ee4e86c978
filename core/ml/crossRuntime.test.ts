// The same training run on repops under Bun and under Node gives identical weight hashes
// (REFERENCE §2: Math.exp etc. differ between the engines; repops must not).
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { trainFingerprint } from "./trainFingerprint.ts";

const root = join(import.meta.dir, "..", "..");

describe("repops across engines", () => {
  test("Bun and Node train to identical weight hashes (seed 7)", () => {
    const here = trainFingerprint(7);
    const dir = join(root, "tmp", `ml-cross-runtime-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const entry = join(dir, "entry.ts");
    writeFileSync(entry, `import { trainFingerprint } from ${JSON.stringify(join(import.meta.dir, "trainFingerprint.ts"))};\nconsole.log(JSON.stringify(trainFingerprint(7)));\n`);
    const out = join(dir, "entry.mjs");
    const build = spawnSync(join(root, "node_modules", ".bin", "bun"), ["build", entry, "--target=node", "--packages=external", "--outfile", out], { encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const run = spawnSync("node", [out], { encoding: "utf8", cwd: root });
    rmSync(dir, { recursive: true, force: true });
    expect(run.status, run.stderr).toBe(0);
    const there = JSON.parse(run.stdout.trim());
    expect(there).toEqual(here);
    expect(here.losses).toHaveLength(3);
  }, 60_000);
});
