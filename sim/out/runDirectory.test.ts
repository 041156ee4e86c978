// RunDirectory: written aside, renamed into place, never half-written at the final path.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunDirectory } from "./runDirectory.ts";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gsim-rundir-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("RunDirectory", () => {
  test("nothing exists at the final path until commit", () => {
    const d = RunDirectory.open(join(dir, "a"));
    writeFileSync(d.file("x.txt"), "1");
    expect(existsSync(join(dir, "a"))).toBe(false);
    d.commit();
    expect(readFileSync(join(dir, "a", "x.txt"), "utf8")).toBe("1");
    expect(readdirSync(dir)).toEqual(["a"]);
  });
  test("discard leaves nothing", () => {
    const d = RunDirectory.open(join(dir, "b"));
    d.discard();
    expect(readdirSync(dir).filter((f) => f.startsWith("b"))).toEqual([]);
  });
  test("commitIncomplete keeps the files and marks the summary", () => {
    const d = RunDirectory.open(join(dir, "c"));
    writeFileSync(d.file("summary.json"), JSON.stringify({ seed: 1 }));
    d.commitIncomplete(new Error("anvil died"));
    expect(JSON.parse(readFileSync(join(dir, "c", "summary.json"), "utf8"))).toEqual({ seed: 1, status: "incomplete", error: "anvil died" });
  });
  test("refuses to replace a file or a foreign directory", () => {
    writeFileSync(join(dir, "file"), "x");
    expect(() => RunDirectory.open(join(dir, "file"))).toThrow("is not a directory");
    mkdirSync(join(dir, "foreign"));
    writeFileSync(join(dir, "foreign", "notes.txt"), "mine");
    expect(() => RunDirectory.open(join(dir, "foreign"))).toThrow("is not a run directory");
  });
  test("a process that exits mid-run leaves no partial directory", () => {
    const script = join(dir, "exit.ts");
    writeFileSync(script, `import { RunDirectory } from ${JSON.stringify(join(import.meta.dir, "runDirectory.ts"))};\nRunDirectory.open(${JSON.stringify(join(dir, "exiting"))});\nprocess.exit(3);\n`);
    const r = spawnSync(join(import.meta.dir, "..", "..", "node_modules", ".bin", "bun"), [script]);
    expect(r.status).toBe(3);
    expect(readdirSync(dir).filter((f) => f.startsWith("exiting"))).toEqual([]);
  });
});
