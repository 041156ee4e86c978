// gsim run / replay / check / schema: exit codes, messages, files.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gsimInProcess } from "../gsimInProcess.ts";
import { firstDifference } from "./replay.ts";

const ROOT = join(import.meta.dir, "..", "..");
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gsim-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = `name: tiny
seed: 5
duration: 1h
nodes: {count: 30, hardware: {rtx4090: 1}, regions: {us-east: 0.5, ap-northeast: 0.5}}
churn: {up: {dist: exponential, mean: 1h}, down: {dist: exponential, mean: 10m}}
workload: {kind: gossip, heartbeat: {interval: 2m}, rumor: false}
checks:
  - "world.availability > 0.5"
  - "workload.delayMs.overall.p50 > 0"
`;

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const gsim = gsimInProcess;

describe("gsim run", () => {
  test("writes the run directory exactly at --out", async () => {
    const out = join(dir, "run1");
    const r = await gsim("run", file("tiny.yaml", TINY), "--out", out);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${out}`);
    expect(readdirSync(out).sort()).toEqual(["events.jsonl", "manifest.json", "metrics.csv", "summary.json"]);
    expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).source.file).toContain("tiny.yaml");
  });
  test("--seed and --set reach the run; --quiet prints nothing", async () => {
    const out = join(dir, "run2");
    const r = await gsim("run", file("tiny2.yaml", TINY), "--out", out, "--seed", "77", "--set", "nodes.count=12", "--quiet");
    expect(r).toEqual({ code: 0, out: "", err: "" });
    const s = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(s.seed).toBe(77);
    expect(s.world.nodes).toBe(12);
  });
  test("bad input: exit 2, one message naming file, path and value, no run directory", async () => {
    const bad = file("bad.yaml", TINY.replace("count: 30", "count: -5"));
    const out = join(dir, "never");
    const r = await gsim("run", bad, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gsim run: ${bad}: nodes.count: expected a number >= 1, got -5`);
    expect(existsSync(out)).toBe(false);
  });
  test("no seed in file or flag: exit 2", async () => {
    const r = await gsim("run", file("noseed.yaml", TINY.replace("seed: 5\n", "")), "--out", join(dir, "noseed"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("no seed: give --seed N");
  });
  test("bad flags: exit 2", async () => {
    expect((await gsim("run", file("t3.yaml", TINY), "--seed=-1")).err).toContain("--seed: expected a non-negative integer, got \"-1\"");
    expect((await gsim("run", file("t3b.yaml", TINY), "--seed", "x1")).err).toContain("--seed: expected a non-negative integer, got \"x1\"");
    expect((await gsim("run", file("t4.yaml", TINY), "--frobnicate")).code).toBe(2);
    expect((await gsim("run", file("t5.yaml", TINY), "--settle", "chain")).err).toContain("--settle: expected memory or anvil");
  });
  test("an unknown backend, from the flag or the file: exit 2 naming where it came from, no run directory", async () => {
    const out = join(dir, "nobackend");
    let r = await gsim("run", file("b1.yaml", TINY), "--backend", "nope", "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^gsim run: --backend: expected one of repops, repops-fma, repops-tree, tfjs-cpu, tfjs-wasm.*, got "nope"$/);
    const f = file("b2.yaml", TINY + "backend: nope\n");
    r = await gsim("run", f, "--out", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^gsim run: ${f}: backend: expected one of repops, .*, got "nope"$`));
    expect(existsSync(out)).toBe(false);
  });
  test("--out where no directory can be made: exit 2 naming it, not an internal error", async () => {
    const blocker = file("plainfile", "x");
    const r = await gsim("run", file("o1.yaml", TINY), "--out", join(blocker, "run"));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gsim run: --out ${join(blocker, "run")}: cannot create the run directory (EEXIST)`);
  });
  test("through the npm launcher (node bin/gsim.js): exit 2 and no stack trace", () => {
    const r = spawnSync("node", [join(ROOT, "bin", "gsim.js"), "run", join(dir, "missing.yaml")], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`gsim run: ${join(dir, "missing.yaml")}: no such file`);
    expect(r.stderr).not.toContain("    at ");
  });
});

describe("gsim replay", () => {
  test("passes on an untouched run, fails naming the first differing event", async () => {
    const out = join(dir, "rep");
    expect((await gsim("run", file("rep.yaml", TINY), "--out", out, "--quiet")).code).toBe(0);
    const ok = await gsim("replay", out);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("identical");
    const events = readFileSync(join(out, "events.jsonl"), "utf8").split("\n");
    events[2] = events[2].replace(/"node":(\d+)/, '"node":999');
    writeFileSync(join(out, "events.jsonl"), events.join("\n"));
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    summary.eventsHash = "0".repeat(64);
    writeFileSync(join(out, "summary.json"), JSON.stringify(summary));
    const bad = await gsim("replay", out);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("first differing event: line 3 of events.jsonl");
    expect(bad.err).toContain('"node":999');
  });
  test("a directory that is not a run: exit 2", async () => {
    expect((await gsim("replay", dir)).code).toBe(2);
  });
  test("an edited events.jsonl fails even though summary.json still holds the original hash", async () => {
    const out = join(dir, "rep-events");
    expect((await gsim("run", file("rep2.yaml", TINY), "--out", out, "--quiet")).code).toBe(0);
    const events = readFileSync(join(out, "events.jsonl"), "utf8").split("\n");
    events[3] = events[3].replace(/"t":(\d+)/, '"t":1');
    writeFileSync(join(out, "events.jsonl"), events.join("\n"));
    const bad = await gsim("replay", out);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("events.jsonl was edited after the run");
    expect(bad.err).toContain("first differing event: line 4 of events.jsonl");
  });
  test("an edited manifest or a missing events.jsonl: exit 2 naming the file, the path and the value", async () => {
    const out = join(dir, "rep-manifest");
    expect((await gsim("run", file("rep3.yaml", TINY), "--out", out, "--quiet")).code).toBe(0);
    const original = readFileSync(join(out, "manifest.json"), "utf8");
    const edit = (f: (m: any) => void) => {
      const m = JSON.parse(original);
      f(m);
      writeFileSync(join(out, "manifest.json"), JSON.stringify(m));
    };
    edit((m) => delete m.scenario.workload);
    let r = await gsim("replay", out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gsim replay: ${join(out, "manifest.json")}: scenario.workload: expected an object with a kind, got nothing`);
    edit((m) => (m.seed = "x"));
    r = await gsim("replay", out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gsim replay: ${join(out, "manifest.json")}: seed: expected a non-negative integer, got "x"`);
    edit((m) => (m.backend = "nope"));
    r = await gsim("replay", out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^gsim replay: ${join(out, "manifest.json")}: backend: expected one of repops, .*, got "nope"$`));
    edit((m) => (m.scenario = "hi"));
    expect((await gsim("replay", out)).err).toContain('scenario: expected an object, got "hi"');
    writeFileSync(join(out, "manifest.json"), original);
    rmSync(join(out, "events.jsonl"));
    r = await gsim("replay", out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gsim replay: ${out}: not a complete run directory (no events.jsonl)`);
  });
  test("flags replay would ignore (--seed, --set, --out, ...) are rejected, not silently dropped", async () => {
    const r = await gsim("replay", dir, "--seed", "5");
    expect(r).toEqual({ code: 2, out: "", err: "gsim replay: unknown option '--seed' (see --help)" });
    expect((await gsim("replay", dir, "--set", "seed=1")).err).toBe("gsim replay: unknown option '--set' (see --help)");
  });
  test("firstDifference finds the line", () => {
    expect(firstDifference("a\nb\nc\n", "a\nb\nc\n")).toBeNull();
    expect(firstDifference("a\nb\nc\n", "a\nB\nc\n")).toEqual({ line: 2, recorded: "b", replayed: "B" });
    expect(firstDifference("a\n", "a\nb\n")).toEqual({ line: 2, recorded: null, replayed: "b" });
  });
});

describe("gsim check", () => {
  test("--out is rejected: check writes no run directory", async () => {
    const r = await gsim("check", file("c0.yaml", TINY), "--out", join(dir, "never-check"));
    expect(r).toEqual({ code: 2, out: "", err: "gsim check: unknown option '--out' (see --help)" });
    expect(existsSync(join(dir, "never-check"))).toBe(false);
  });
  test("all checks hold: exit 0", async () => {
    const r = await gsim("check", file("c1.yaml", TINY));
    expect(r.code).toBe(0);
    expect(r.out).toContain("2 checks passed, 0 failed");
  });
  test("a failing check: exit 1, named with its value", async () => {
    const r = await gsim("check", file("c2.yaml", TINY.replace("world.availability > 0.5", "world.availability > 1.5")));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL {2}.*c2\.yaml: world\.availability > 1\.5 {2}\(0\.\d+ > 1\.5\)/);
  });
  test("a pinned eventsHash that differs fails", async () => {
    const r = await gsim("check", file("c3.yaml", TINY + `  - {eventsHash: "${"a".repeat(64)}"}\n`));
    expect(r.code).toBe(1);
    expect(r.out).toContain("FAIL");
    expect(r.out).toContain("eventsHash is ");
  });
  test("a scenario that cannot run: exit 2 (even beside a good one)", async () => {
    const r = await gsim("check", file("c4.yaml", TINY), join(dir, "nope.yaml"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("nope.yaml: could not run");
  });
  test("a check over a missing path cannot be evaluated: exit 2", async () => {
    const r = await gsim("check", file("c5.yaml", TINY.replace("world.availability > 0.5", "world.uptime > 0.5")));
    expect(r.code).toBe(2);
    expect(r.out).toContain("summary.json has no world.uptime");
  });
  test("a check with bad syntax is rejected when the scenario loads", async () => {
    const r = await gsim("check", file("c6.yaml", TINY.replace("world.availability > 0.5", "world.availability >")));
    expect(r.code).toBe(2);
    expect(r.err).toContain("checks.0: expected a valid check");
  });
  test("a finished run directory is checked without running", async () => {
    const out = join(dir, "chk");
    await gsim("run", file("c7.yaml", TINY), "--out", out, "--quiet");
    const ok = await gsim("check", out);
    expect(ok.code).toBe(0);
    expect(ok.out).toEndWith("2 checks passed, 0 failed, 0 could not be evaluated");
    // It reads the recorded summary.json (no re-run): an edited value is what gets checked.
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    summary.world.availability = 0.25;
    writeFileSync(join(out, "summary.json"), JSON.stringify(summary));
    const bad = await gsim("check", out);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`FAIL  ${out}: world.availability > 0.5  (0.25 > 0.5)`);
    const flagged = await gsim("check", out, "--seed", "9");
    expect(flagged.code).toBe(2);
    expect(flagged.err).toBe(`ERROR ${out}: could not run: ${out}: --seed cannot apply to a finished run directory (its recorded summary is checked; use gsim run first)`);
  });
  test("a run directory whose manifest's checks were edited into garbage: exit 2 naming the file and path", async () => {
    const out = join(dir, "chk-bad");
    await gsim("run", file("c8.yaml", TINY), "--out", out, "--quiet");
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    manifest.scenario.checks = 5;
    writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest));
    let r = await gsim("check", out);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`ERROR ${out}: could not run: ${join(out, "manifest.json")}: scenario.checks: expected a list of checks, got 5`);
    manifest.scenario.checks = ["world.availability > 0", { hash: 1 }];
    writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest));
    r = await gsim("check", out);
    expect(r.err).toBe(`ERROR ${out}: could not run: ${join(out, "manifest.json")}: scenario.checks.1: expected a check expression or {eventsHash: "..."}, got {"hash":1}`);
  });
});

describe("gsim schema and --help", () => {
  test("schema prints a JSON Schema with the top-level keys", async () => {
    const r = await gsim("schema");
    const s = JSON.parse(r.out);
    expect(Object.keys(s.properties)).toEqual(["name", "description", "seed", "duration", "backend", "nodes", "network", "churn", "workload", "settle", "checks", "sweep", "seeds"]);
    expect(s.additionalProperties).toBe(false);
  });
  test("every command has --help", async () => {
    for (const c of ["run", "replay", "check", "schema"]) {
      const r = await gsim(c, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toStartWith(`usage: gsim ${c}`);
    }
  });
});
