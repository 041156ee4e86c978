// Every scenario file shipped in scenarios/ passes the schema (a schema change that breaks one
// shows up here, naming the file and the path inside it).
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadScenario } from "./load.ts";

const DIR = join(import.meta.dir, "..", "..", "scenarios");
const files = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

describe("scenarios/", () => {
  test("holds the quickstart and the 10k-node scale scenario", () => {
    expect(files).toContain("quickstart.yaml");
    expect(files).toContain("scale-10k.yaml");
  });
  for (const f of files) {
    test(`${f} loads, with a seed and at least one check`, () => {
      const s = loadScenario(join(DIR, f));
      expect(s.seed).toBeInteger();
      expect(s.checks.length).toBeGreaterThan(0);
    });
  }
});
