// Source rules for the market's default path (real traces): outside the opt-in synthetic modules,
// no core/market source looks up an honest hash, decides detection by a draw, or enacts a verdict
// by faking a trace. The test reads the sources; the modules themselves do no I/O.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dir;
/** The `traces: synthetic` modules: the only places a hash model with an honest truth may live. */
const SYNTHETIC = new Set(["traceModel.ts", "syntheticDispute.ts", "syntheticJob.ts"]);
const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).sort();

/** What an honest-hash lookup, a detection coin flip or a verdict enactment looks like in code. */
const FORBIDDEN: [string, RegExp][] = [
  ["honest graph hash lookup", /graphHash\(/],
  ["honest result root lookup", /resultRoot\(\s*null/],
  ["honest state hash lookup", /stateHash\([^)]*,\s*null\)/],
  ["synthetic trace model", /\bTraceModel\b/],
  ["detection by a draw", /verifierView|detected\s*=/],
  ["verdict enacted by faking a trace", /verdeVerdict|defenderFault|challengerFault/],
];

describe("core/market sources on the default path", () => {
  test("the synthetic modules exist and everything else is checked", () => {
    for (const f of SYNTHETIC) expect(sources).toContain(f);
    expect(sources).toContain("realJob.ts");
    expect(sources.filter((f) => !SYNTHETIC.has(f)).length).toBeGreaterThanOrEqual(7);
  });

  for (const file of sources.filter((f) => !SYNTHETIC.has(f))) {
    test(`${file} looks up no honest hash and fakes no detection or verdict`, () => {
      const text = readFileSync(join(dir, file), "utf8");
      const found = FORBIDDEN.filter(([, re]) => re.test(text)).map(([what]) => what);
      expect(found).toEqual([]);
      // Only the workload's switch may import a synthetic module (behind traces: synthetic).
      const imports = [...text.matchAll(/from "\.\/(\w+)\.ts"/g)].map((m) => `${m[1]}.ts`).filter((f) => SYNTHETIC.has(f));
      expect(imports).toEqual(file === "marketWorkload.ts" ? ["syntheticJob.ts"] : []);
    });
  }

  test("the workload reaches the synthetic job only when traces is synthetic", () => {
    const text = readFileSync(join(dir, "marketWorkload.ts"), "utf8");
    const uses = text.split("\n").filter((l) => l.includes("syntheticJob(")).map((l) => l.trim());
    expect(uses).toHaveLength(1);
    expect(uses[0]).toContain('protocol !== null ? realJob(');
    expect(text).toContain('params.traces === "real" ? protocolDeps(');
  });

  test("the rules would catch the old stand-ins", () => {
    const old = 'const outcome = ledger.rule(systemAccounts.referee, gameId, model.graphHash(g.step, g.hi, null));';
    expect(FORBIDDEN.some(([, re]) => re.test(old))).toBe(true);
    expect(FORBIDDEN.some(([, re]) => re.test("let detected = params.verifySampleFraction >= 1;"))).toBe(true);
  });
});
