// core/ rules (DESIGN: dependency direction; STYLE: convention 2): no clock, no global RNG, no
// engine-dependent transcendental math outside the reproducible implementations, no I/O, no
// imports of the application (sim/) or of viem, arquero, vega. Comments and strings are ignored.
import { describe, expect, test } from "bun:test";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const CORE = import.meta.dir;
const ROOT = resolve(CORE, "..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|js|mjs)$/.test(e.name) && !/\.test\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out.sort();
}

/**
 * Code with comments removed and '...' / "..." string contents blanked (import specifiers are read
 * separately). Template literals are kept whole: their ${...} parts are code.
 */
export function stripCommentsAndStrings(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const n = src[i + 1];
    if (c === "/" && n === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && n === "*") {
      i += 2;
      while (i < src.length && !(src[i] === "*" && src[i + 1] === "/")) i++;
      i += 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === "\\") i++;
        i++;
      }
      i++;
      out += c + c;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function importSpecifiers(src: string): string[] {
  const specs: string[] = [];
  for (const m of src.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']/g)) specs.push(m[1]);
  for (const m of src.matchAll(/(?:^|[\s;])import\s*["']([^"']+)["']/g)) specs.push(m[1]);
  for (const m of src.matchAll(/\b(?:import|require)\s*\(\s*["']([^"']+)["']\s*\)/g)) specs.push(m[1]);
  return specs;
}

const CLOCK_AND_RNG = [/\bMath\.random\b/, /\bDate\.now\b/, /\bperformance\.now\b/, /\bnew\s+Date\s*\(/];
/** Results that depend on the machine's locale, ICU data or environment (same scenario + seed must give the same bytes anywhere). */
const LOCALE_AND_ENV = [/\.localeCompare\b/, /\.toLocale\w*\b/, /\bIntl\./, /\bprocess\.env\b/];
const TRANSCENDENTAL = /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|tanh|sinh|cosh|sin|cos|tan|asin|acos|atan|atan2|cbrt|hypot)\b|\*\*/;
/** BigInt exponentiation (10n ** 18n) is exact integer arithmetic: allowed. */
const BIGINT_POW = /\b\d+n\s*\*\*\s*\d+n\b/g;
const BANNED_IMPORTS = /^(viem|arquero|vega|vega-lite|vega-embed|fs|node:fs|fs\/promises|node:fs\/promises|child_process|node:child_process)(\/|$)/;

/** Where engine transcendental math is allowed: the reproducible implementations themselves. */
function mathExempt(rel: string): boolean {
  return rel.startsWith("core/ml/repops/") || rel === "core/des/math.ts";
}

/** Every rule violation in one source text, as "file: what". */
export function violations(rel: string, src: string): string[] {
  const code = stripCommentsAndStrings(src).replace(BIGINT_POW, "BIGINT");
  const found: string[] = [];
  for (const re of CLOCK_AND_RNG) if (re.test(code)) found.push(`${rel}: uses ${re.source.replaceAll("\\b", "").replaceAll("\\", "")}`);
  for (const re of LOCALE_AND_ENV) if (re.test(code)) found.push(`${rel}: uses ${re.source.replaceAll("\\b", "").replaceAll("\\w*", "*").replaceAll("\\", "")} (locale- or environment-dependent)`);
  if (!mathExempt(rel)) {
    const m = TRANSCENDENTAL.exec(code);
    if (m) found.push(`${rel}: uses ${m[0]} (use core/des/math.ts or the repops math: reproducible on every engine)`);
  }
  for (const spec of importSpecifiers(src)) {
    if (BANNED_IMPORTS.test(spec)) found.push(`${rel}: imports ${spec}`);
    if (spec.startsWith(".")) {
      const target = relative(ROOT, resolve(dirname(join(ROOT, rel)), spec));
      if (target === "sim" || target.startsWith("sim/")) found.push(`${rel}: imports ${spec} (core must not depend on sim/)`);
    }
  }
  return found;
}

describe("the rule checker itself", () => {
  test("catches each banned use", () => {
    expect(violations("core/x.ts", "const r = Math.random();")).toEqual(["core/x.ts: uses Math.random"]);
    expect(violations("core/x.ts", "const t = Date.now();")).toHaveLength(1);
    expect(violations("core/x.ts", "const t = performance.now();")).toHaveLength(1);
    expect(violations("core/x.ts", "const d = new Date(0);")).toHaveLength(1);
    expect(violations("core/x.ts", "const y = Math.exp(x);")).toHaveLength(1);
    expect(violations("core/x.ts", "const y = x ** 2;")).toHaveLength(1);
    expect(violations("core/x.ts", 'import { readFileSync } from "node:fs";')).toEqual(["core/x.ts: imports node:fs"]);
    expect(violations("core/x.ts", 'import { createPublicClient } from "viem";')).toHaveLength(1);
    expect(violations("core/world/x.ts", 'import { runScenario } from "../../sim/run/index.ts";')).toHaveLength(1);
    expect(violations("core/x.ts", 'const m = await import("arquero");')).toHaveLength(1);
    expect(violations("core/x.ts", "ids.sort((a, b) => a.localeCompare(b));")).toEqual(["core/x.ts: uses .localeCompare (locale- or environment-dependent)"]);
    expect(violations("core/x.ts", "const s = x.toLocaleString();")).toEqual(["core/x.ts: uses .toLocale* (locale- or environment-dependent)"]);
    expect(violations("core/x.ts", "const f = new Intl.NumberFormat();")).toHaveLength(1);
    expect(violations("core/x.ts", "const seed = process.env.SEED;")).toHaveLength(1);
  });
  test("ignores comments and strings, and exempts the reproducible math", () => {
    expect(violations("core/x.ts", '// Math.random is banned\nconst s = "Date.now()"; /* x ** 2 */')).toEqual([]);
    expect(violations("core/des/math.ts", "const y = Math.exp(x);")).toEqual([]);
    expect(violations("core/ml/repops/f.ts", "const y = 2 ** 3;")).toEqual([]);
    expect(violations("core/x.ts", "const y = Math.sqrt(x) * Math.fround(z);")).toEqual([]);
    expect(violations("core/x.ts", "const WAD = 10n ** 18n;")).toEqual([]);
    expect(violations("core/x.ts", "const s = `${Math.random()}`;")).toHaveLength(1);
  });
});

test("no core file imports a build tool (scripts/, e.g. scripts/build-repops-asm.ts)", () => {
  const found: string[] = [];
  for (const f of sources(CORE)) {
    const rel = relative(ROOT, f);
    for (const spec of importSpecifiers(readFileSync(f, "utf8"))) {
      if (!spec.startsWith(".")) continue;
      const target = relative(ROOT, resolve(dirname(f), spec));
      if (target.startsWith("scripts/")) found.push(`${rel} imports ${target}`);
    }
  }
  expect(found).toEqual([]);
});

test("core/ follows the rules: no clock, no global RNG, no engine math, no I/O, no sim/viem/arquero/vega", () => {
  const found: string[] = [];
  for (const f of sources(CORE)) {
    const rel = relative(ROOT, f);
    found.push(...violations(rel, readFileSync(f, "utf8")));
  }
  expect(found).toEqual([]);
});
