// Golden behaviour: every scenario in scenarios/ runs through the real CLI (`gsim check`) and all of
// its `checks:` hold. A change that moves a pinned research finding fails here, naming the check.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const files = readdirSync(import.meta.dir).filter((f) => f.endsWith(".yaml")).sort();

describe("gsim check scenarios/*.yaml", () => {
  test("there are scenarios to check", () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });
  for (const file of files) {
    test(`${file}: every check holds`, () => {
      const r = Bun.spawnSync([process.execPath, join(root, "sim", "cli.ts"), "check", join(import.meta.dir, file)], {
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
