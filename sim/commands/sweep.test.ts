// gsim sweep / worker / report: exit codes and messages at the command line.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gsimInProcess } from "../gsimInProcess.ts";
import { tempDir, writeSmallSweep } from "../sweep/sweepTestKit.ts";

const dir = tempDir("cli-sweep");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gsim = gsimInProcess;

describe("gsim sweep", () => {
  test("runs every point, writes index.json and says so", async () => {
    const file = writeSmallSweep(dir, { seeds: 1, days: 5 });
    const r = await gsim("sweep", file, "--out", join(dir, "s1"), "--workers", "2");
    expect(r.code).toBe(0);
    expect(r.out).toContain("small-sweep: 4 points (4 ran, 0 already done, 0 failed)");
    expect(existsSync(join(dir, "s1", "index.json"))).toBe(true);
    const again = await gsim("sweep", file, "--out", join(dir, "s1"), "--resume");
    expect(again.out).toContain("(0 ran, 4 already done, 0 failed)");
  }, 30_000);

  test("zip lists of unequal length: exit 2 naming both lists", async () => {
    const file = join(dir, "uneven.yaml");
    writeFileSync(file, `name: uneven
seed: 1
duration: 2d
nodes: {count: 1, hardware: cpu, regions: us-east}
workload: {kind: tokenomics, days: 1}
sweep:
  zip: {workload.demand.baseFeesPerDay: [1, 2, 3], workload.demand.annualGrowth: [0, 1]}
`);
    const r = await gsim("sweep", file, "--out", join(dir, "s2"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("workload.demand.baseFeesPerDay has 3, workload.demand.annualGrowth has 2");
    expect(existsSync(join(dir, "s2"))).toBe(false);
  });

  test("a point value the workload schema rejects fails before any work, naming the point", async () => {
    const file = join(dir, "badpoint.yaml");
    writeFileSync(file, `name: badpoint
seed: 1
duration: 2d
nodes: {count: 1, hardware: cpu, regions: us-east}
workload: {kind: tokenomics, days: 1}
sweep:
  grid: {workload.buyback.burnShare: [0.5, 1.5]}
`);
    const r = await gsim("sweep", file, "--out", join(dir, "s3"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("sweep point p001");
    expect(r.err).toContain("workload.buyback.burnShare");
  });

  test("a point that fails at run time: exit 1 naming it, the others kept, no index", async () => {
    const file = join(dir, "failing.yaml");
    writeFileSync(file, `name: failing
seed: 1
duration: 3d
nodes: {count: 1, hardware: cpu, regions: us-east}
workload: {kind: tokenomics, days: 2, token: {stakedShare: 0.5}}
sweep:
  grid: {workload.token.treasuryShare: [0.1, 0.9]}
`);
    const r = await gsim("sweep", file, "--out", join(dir, "s4"), "--workers", "1");
    expect(r.code).toBe(1);
    expect(r.err).toContain("point p001-s0001 failed");
    expect(r.err).toContain("exceed");
    expect(existsSync(join(dir, "s4", "points", "p000-s0001", "summary.json"))).toBe(true);
    expect(existsSync(join(dir, "s4", "points", "p001-s0001"))).toBe(false);
    expect(existsSync(join(dir, "s4", "index.json"))).toBe(false);
  }, 30_000);

  test("bad flags: exit 2", async () => {
    expect((await gsim("sweep", "x.yaml")).code).toBe(2);
    expect((await gsim("sweep", "x.yaml", "--out", "y", "--workers", "0")).code).toBe(2);
    expect((await gsim("sweep", "x.yaml", "--out", "y", "--queue", "http://nope")).code).toBe(2);
    expect((await gsim("worker")).code).toBe(2);
    expect(await gsim("worker", "extra", "--queue", "redis://127.0.0.1:1")).toEqual({ code: 2, out: "", err: 'gsim worker: gsim worker takes no FILE or DIR, got "extra" (see --help)' });
    expect((await gsim("worker", "--queue", "redis://127.0.0.1:1", "--concurrency", "1e2")).err).toBe('gsim worker: --concurrency: expected an integer from 1 to 256, got "1e2"');
    expect((await gsim("sweep", "x.yaml", "--out", "y", "--workers", "-2")).err).toContain('--workers: got "-2", which looks like an option');
  });
  test("a bad --set is blamed on the flag, with the path and the value", async () => {
    const file = writeSmallSweep(dir, { seeds: 1, days: 5 });
    const r = await gsim("sweep", file, "--out", join(dir, "never-set"), "--set", "sweep.nope=1");
    expect(r).toEqual({ code: 2, out: "", err: `gsim sweep: ${file} (--set sweep.nope=1): sweep.nope: unknown key (not part of the schema), got 1` });
    expect(existsSync(join(dir, "never-set"))).toBe(false);
  });
  test("an unreachable --queue: exit 2 naming it, and no sweep directory left behind", async () => {
    const file = writeSmallSweep(dir, { seeds: 1, days: 5 });
    const out = join(dir, "never-queued");
    const r = await gsim("sweep", file, "--out", out, "--queue", "redis://127.0.0.1:1", "--quiet");
    expect(r.code).toBe(2);
    expect(r.err).toStartWith("gsim sweep: --queue redis://127.0.0.1:1: Redis did not answer");
    expect(existsSync(out)).toBe(false);
  }, 15_000);
  test("--workers out of range: exit 2 with the range and the value", async () => {
    const r = await gsim("sweep", "x.yaml", "--out", "y", "--workers", "100000");
    expect(r).toEqual({ code: 2, out: "", err: 'gsim sweep: --workers: expected an integer from 1 to 256, got "100000"' });
    expect((await gsim("sweep", "x.yaml", "--out", "y", "--workers", "257")).err).toContain("from 1 to 256");
  });
  test("--out that is a file, or a sweep.json that is not JSON under --resume: exit 2 naming it", async () => {
    const file = writeSmallSweep(dir, { seeds: 1, days: 5 });
    const plain = join(dir, "plainfile");
    writeFileSync(plain, "x");
    let r = await gsim("sweep", file, "--out", plain, "--quiet");
    expect(r.code).toBe(2);
    expect(r.err).toBe(`gsim sweep: --out ${plain}: exists and is not a directory; refusing to replace it`);
    require("node:fs").mkdirSync(join(dir, "badplan"));
    writeFileSync(join(dir, "badplan", "sweep.json"), "{garbage");
    r = await gsim("sweep", file, "--out", join(dir, "badplan"), "--resume", "--quiet");
    expect(r.code).toBe(2);
    expect(r.err).toStartWith(`gsim sweep: ${join(dir, "badplan", "sweep.json")}: not valid JSON`);
  });
});

describe("gsim report", () => {
  test("reports a single run directory", async () => {
    const file = writeSmallSweep(dir, { seeds: 1, days: 5 });
    expect((await gsim("run", file, "--out", join(dir, "run1"), "--quiet")).code).toBe(0);
    const r = await gsim("report", join(dir, "run1"), "--out", join(dir, "rep1"), "--metrics", "econ.price,econ.burned");
    expect(r.code).toBe(0);
    expect(r.out).toContain("(2 charts");
    expect(existsSync(join(dir, "rep1", "charts", "trajectory-econ.price.png"))).toBe(true);
  }, 30_000);

  test("a run directory with an edited summary.json or a missing or garbled metrics.csv: exit 2 naming the file", async () => {
    const file = writeSmallSweep(dir, { seeds: 1, days: 5 });
    const run = join(dir, "run-edited");
    expect((await gsim("run", file, "--out", run, "--quiet")).code).toBe(0);
    const fs = require("node:fs");
    const metrics = fs.readFileSync(join(run, "metrics.csv"), "utf8");
    fs.writeFileSync(join(run, "metrics.csv"), metrics.replace(/\n(\d+),econ\.price,[^,\n]*/, "\n$1,econ.price,lots"));
    let r = await gsim("report", run, "--out", join(dir, "rep-e1"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^gsim report: ${join(run, "metrics.csv")}: line \\d+: expected t,name,value,labels, got ".*econ.price,lots`));
    fs.rmSync(join(run, "metrics.csv"));
    r = await gsim("report", run, "--out", join(dir, "rep-e2"));
    expect(r.err).toBe(`gsim report: ${join(run, "metrics.csv")}: no such file (every run directory has one)`);
    fs.writeFileSync(join(run, "summary.json"), "[1,2]");
    r = await gsim("report", run, "--out", join(dir, "rep-e3"));
    expect(r).toEqual({ code: 2, out: "", err: `gsim report: ${join(run, "summary.json")}: (top level): expected an object, got [1,2]` });
    for (const d of ["rep-e1", "rep-e2", "rep-e3"]) expect(existsSync(join(dir, d))).toBe(false);
  }, 30_000);

  test("a --metrics or --finals name the results do not hold, or --out a file: exit 2 naming it, nothing written", async () => {
    const file = writeSmallSweep(dir, { seeds: 1, days: 5 });
    const run = join(dir, "run-names");
    expect((await gsim("run", file, "--out", run, "--quiet")).code).toBe(0);
    let r = await gsim("report", run, "--out", join(dir, "rep-m"), "--metrics", "econ.price,econ.nope");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^gsim report: --metrics: ${run} \\(metrics.csv\\) has no value named "econ.nope"; known: .*econ.price`));
    expect(existsSync(join(dir, "rep-m"))).toBe(false);
    r = await gsim("report", run, "--out", join(dir, "rep-f"), "--finals", "workload.nope");
    expect(r.code).toBe(2);
    expect(r.err).toStartWith(`gsim report: --finals: ${run} (summary.json) has no value named "workload.nope"; known: `);
    expect(existsSync(join(dir, "rep-f"))).toBe(false);
    const plain = join(dir, "plain-report");
    writeFileSync(plain, "x");
    r = await gsim("report", run, "--out", plain);
    expect(r).toEqual({ code: 2, out: "", err: `gsim report: --out ${plain}: exists and is not a directory; refusing to replace it` });
    // A directory that is not a report (here: the run itself) is never written into or replaced.
    r = await gsim("report", run, "--out", run);
    expect(r).toEqual({ code: 2, out: "", err: `gsim report: --out ${run}: exists and is not a report directory (no index.html); refusing to replace it` });
    expect(require("node:fs").readdirSync(run).sort()).toEqual(["events.jsonl", "manifest.json", "metrics.csv", "summary.json"]);
    // An earlier report is replaced whole, and no partial directory is left beside it.
    expect((await gsim("report", run, "--out", join(dir, "rep-again"), "--quiet", "--metrics", "econ.price")).code).toBe(0);
    expect((await gsim("report", run, "--out", join(dir, "rep-again"), "--quiet", "--metrics", "econ.burned")).code).toBe(0);
    expect(require("node:fs").readdirSync(join(dir, "rep-again", "charts")).filter((f: string) => f.startsWith("trajectory-"))).toEqual(["trajectory-econ.burned.png", "trajectory-econ.burned.svg"]);
    expect(require("node:fs").readdirSync(dir).filter((f: string) => f.includes(".partial-"))).toEqual([]);
  }, 30_000);

  test("an unfinished sweep, a missing directory or no --out: exit 2", async () => {
    require("node:fs").mkdirSync(join(dir, "unfinished"));
    writeFileSync(join(dir, "unfinished", "sweep.json"), "{}");
    const r = await gsim("report", join(dir, "unfinished"), "--out", join(dir, "r"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("the sweep is not finished");
    writeFileSync(join(dir, "unfinished", "index.json"), "{}");
    expect((await gsim("report", join(dir, "unfinished"), "--out", join(dir, "r"))).err).toBe(`gsim report: ${join(dir, "unfinished", "index.json")}: points: expected a list of points, got nothing`);
    expect((await gsim("report", join(dir, "nope"), "--out", join(dir, "r"))).code).toBe(2);
    expect((await gsim("report", dir)).code).toBe(2);
  });
});
