// Golden behaviour: every scenario in scenarios/ runs through the real CLI (`gsim check`) and all of
// its `checks:` hold. A change that moves a pinned research finding fails here, naming the check.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const files = readdirSync(import.meta.dir).filter((f) => f.endsWith(".yaml")).sort();
/**
 * Scenarios too large for the suite run here on the same code path at a reduced size (`--set`);
 * `bun bench/des.ts --scale` runs them in full.
 */
const REDUCED: Record<string, string[]> = {
  "scale-1m.yaml": ["nodes.0.count=2000", "nodes.1.count=18000"],
};

describe("gsim check scenarios/*.yaml", () => {
  test("there are scenarios to check", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });
  for (const file of files) {
    const sets = (REDUCED[file] ?? []).flatMap((s) => ["--set", s]);
    test(`${file}: every check holds${sets.length > 0 ? ` (reduced: ${REDUCED[file].join(" ")})` : ""}`, () => {
      const r = Bun.spawnSync([process.execPath, join(root, "sim", "cli.ts"), "check", join(import.meta.dir, file), ...sets], {
        cwd: root,
        stdout: "pipe",
        stderr: "pipe",
        env: { ...process.env, NO_COLOR: "1" },
      });
      const out = r.stdout.toString() + r.stderr.toString();
      if (r.exitCode !== 0) console.error(out);
      expect(out).toMatch(/(\d+) checks passed, 0 failed, 0 could not be evaluated/);
      expect(r.exitCode).toBe(0);
    }, 120_000);
  }
});
