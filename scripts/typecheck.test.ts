// The whole project type-checks under `tsc --strict` (tsconfig.json): a type error anywhere fails CI.
import { expect, test } from "bun:test";
import { join } from "node:path";

test("tsc --noEmit reports no type errors", () => {
  const root = join(import.meta.dir, "..");
  const r = Bun.spawnSync([process.execPath, join(root, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", root], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = r.stdout.toString() + r.stderr.toString();
  expect(out).toBe("");
  expect(r.exitCode).toBe(0);
}, 120_000);
