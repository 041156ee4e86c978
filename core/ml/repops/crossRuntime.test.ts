// RepOps outputs are the same bytes under Bun and Node (REFERENCE §2): the kernel digest computed here
// equals the one a Node process computes from a `bun build --target=node` bundle, and a pinned value.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { kernelDigest, kernelOutputs } from "./kernelDigest.ts";

const ROOT = resolve(import.meta.dir, "../../..");
/** Pinned on the machine that wrote this test; any change to a kernel's results changes it. */
const PINNED = "14e95c65a5caa16dfa018de89959f562c10e55c501118c2bd8c5cc826441de76";

describe("RepOps cross-runtime determinism", () => {
  test("the digested outputs hold no NaN (whose payload bits engines may choose)", () => {
    expect(kernelOutputs().some((t) => t.some(Number.isNaN))).toBe(false);
  });
  test("Bun digest equals the pinned digest", () => {
    expect(kernelDigest()).toBe(PINNED);
  });
  test("Node (bundle built with bun build --target=node) computes the same digest", () => {
    const dir = mkdtempSync(join(tmpdir(), "repops-node-"));
    try {
      const entry = join(dir, "entry.ts");
      writeFileSync(entry, `import { kernelDigest } from ${JSON.stringify(join(import.meta.dir, "kernelDigest.ts"))};\nconsole.log(kernelDigest());\n`);
      const bundle = join(dir, "entry.mjs");
      // Everything is bundled (no --packages=external) so node needs no node_modules beside /tmp.
      const build = spawnSync(join(ROOT, "node_modules/.bin/bun"), ["build", entry, "--target=node", "--outfile", bundle], { encoding: "utf8" });
      expect(build.status, build.stderr).toBe(0);
      const run = spawnSync("node", [bundle], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe(kernelDigest());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
