// core/ml stays pure (DESIGN: core/ is deterministic; tfjs enters only through the tfjs backend):
// no node: or sim/ imports outside tests, tfjs only in backends/tfjs.ts, and none of the
// engine-dependent Math functions or ** on values (REFERENCE §2).
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === "asm" ? [] : sources(p);
    return f.endsWith(".ts") && !f.endsWith(".test.ts") ? [p] : [];
  });
}

const files = sources(import.meta.dir).map((p) => ({ path: relative(import.meta.dir, p), text: readFileSync(p, "utf8") }));
const code = (t: string) => t.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");

describe("core/ml purity", () => {
  test("no node:, sim/ or wall-clock use outside tests", () => {
    const bad = files.filter((f) => /from\s+["']node:|from\s+["'][./]*sim\/|Date\.now|performance\.now|Math\.random/.test(code(f.text))).map((f) => f.path);
    expect(bad).toEqual([]);
  });
  test("tfjs is imported only by backends/tfjs.ts", () => {
    const bad = files.filter((f) => /["']@tensorflow\//.test(code(f.text))).map((f) => f.path);
    expect(bad).toEqual(["backends/tfjs.ts"]);
  });
  test("no Math.exp/log/pow/tanh/sin/cos or ** in the engine", () => {
    const bad = files.filter((f) => /Math\.(exp|expm1|log|log1p|log2|log10|pow|tanh|sinh|cosh|sin|cos|tan|atan|atan2|cbrt)\b|\*\*/.test(code(f.text))).map((f) => f.path);
    expect(bad).toEqual([]);
  });
});
