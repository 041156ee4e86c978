// runScenario: run directories, determinism, early stop, barriers, failures.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Workload } from "../../core/run/index.ts";
import { parseScenario } from "../scenario/load.ts";
import { workloads, type WorkloadEntry } from "../scenario/workloads/index.ts";
import { z } from "zod";
import { runScenario } from "./runScenario.ts";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gsim-run-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenario(over: Record<string, unknown> = {}) {
  return parseScenario(
    {
      name: "tiny",
      seed: 3,
      duration: "2h",
      nodes: [{ count: 40, hardware: { h100: 0.5, rtx3060: 0.5 }, regions: { "us-east": 0.5, "eu-west": 0.5 }, link: { cable: 1 } }],
      churn: { up: { dist: "exponential", mean: "1h" }, down: { dist: "exponential", mean: "10m" } },
      network: { loss: 0.01 },
      workload: { kind: "gossip", heartbeat: { interval: "1m" }, rumor: { interval: "20m" } },
      ...over,
    },
    "test",
  );
}

/** Registers a throwaway workload kind for one test. */
async function withWorkload<T>(kind: string, workload: Workload<any>, fn: () => Promise<T>): Promise<T> {
  const reg = workloads as Record<string, WorkloadEntry>;
  reg[kind] = { schema: z.strictObject({}), workload };
  try {
    return await fn();
  } finally {
    delete reg[kind];
  }
}

describe("the run directory", () => {
  test("holds manifest, events, metrics and summary; eventsHash is the sha256 of events.jsonl", async () => {
    const out = join(dir, "a");
    const r = await runScenario(scenario(), { outDir: out, quiet: true });
    expect(r.outDir).toBe(out);
    expect(readdirSync(out).sort()).toEqual(["events.jsonl", "manifest.json", "metrics.csv", "summary.json"]);
    const events = readFileSync(join(out, "events.jsonl"));
    expect(createHash("sha256").update(events).digest("hex")).toBe(r.eventsHash);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summary).toMatchObject({ status: "complete", seed: 3, eventsHash: r.eventsHash, endReason: "duration", simulatedUs: 7_200_000_000 });
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ seed: 3, backend: "repops", settle: "memory", scenario: { name: "tiny", seed: 3 } });
    expect(manifest.packages.zod).toMatch(/^\d+\.\d+\.\d+/);
    expect(readFileSync(join(out, "metrics.csv"), "utf8").split("\n")[0]).toBe("t,name,value,labels");
    expect(readdirSync(dir).filter((f) => f.includes(".partial-"))).toEqual([]);
  });
  test("an earlier run at the same path is replaced; a foreign directory is not", async () => {
    const out = join(dir, "again");
    await runScenario(scenario(), { outDir: out, quiet: true });
    await runScenario(scenario(), { outDir: out, quiet: true, seed: 4 });
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).seed).toBe(4);
    await expect(runScenario(scenario(), { outDir: dir, quiet: true })).rejects.toThrow("is not a run directory");
  });
});

describe("determinism", () => {
  test("same scenario and seed: byte-identical events.jsonl and eventsHash", async () => {
    const a = await runScenario(scenario(), { outDir: join(dir, "d1"), quiet: true });
    const b = await runScenario(scenario(), { outDir: join(dir, "d2"), quiet: true });
    expect(b.eventsHash).toBe(a.eventsHash);
    expect(readFileSync(join(dir, "d2", "events.jsonl")).equals(readFileSync(join(dir, "d1", "events.jsonl")))).toBe(true);
    expect(readFileSync(join(dir, "d2", "summary.json"), "utf8")).toBe(readFileSync(join(dir, "d1", "summary.json"), "utf8"));
  });
  test("golden hash: the world model and kernel still produce the pinned event stream", async () => {
    // Process replay (STYLE: tinygrad): a refactor must not change this. If a change to the
    // kernel, world or gossip model is meant to change behaviour, update the hash and say so.
    // Changed on purpose once: bandwidth became max-min fair by default (DESIGN: World); the
    // equal-share model still gives the stream pinned before that change (next test). Changed
    // again when max-min refills became one kernel event per instant (DESIGN: World): the stream
    // is byte-identical but for run.end's eventsProcessed (23,499 kernel events before, 27,621).
    expect((await runScenario(scenario(), { quiet: true })).eventsHash).toBe("d7328f7a68591a12473a24818a2f7a91f2b4ea0a3225043560582118310caba9");
  });
  test("golden hash: equal-share bandwidth still produces the stream pinned before max-min sharing", async () => {
    const equal = scenario({ network: { loss: 0.01, sharing: "equal-share" } });
    expect((await runScenario(equal, { quiet: true })).eventsHash).toBe("f0469be52f487f3e3db5a844170a096724263f80e5c9978f1e6881f9851d8495");
  });
  test("another seed gives another hash", async () => {
    const a = await runScenario(scenario(), { quiet: true });
    const b = await runScenario(scenario(), { quiet: true, seed: 99 });
    expect(b.eventsHash).not.toBe(a.eventsHash);
  });
  test("writing files or not does not change the hash", async () => {
    const a = await runScenario(scenario(), { quiet: true });
    const b = await runScenario(scenario(), { outDir: join(dir, "d3"), quiet: true });
    expect(a.eventsHash).toBe(b.eventsHash);
  });
});

describe("seeds", () => {
  test("the flag wins over the file", async () => {
    expect((await runScenario(scenario(), { seed: 8, quiet: true })).summary.seed).toBe(8);
  });
  test("no seed anywhere is an error, not entropy", async () => {
    await expect(runScenario(scenario({ seed: undefined }), { quiet: true })).rejects.toThrow("has no seed");
  });
});

describe("workload control", () => {
  test("the run stops at the workload's done event", async () => {
    const w: Workload<unknown> = {
      kind: "stopper",
      start(ctx) {
        const done = ctx.env.timeout(90 * 60_000_000);
        return { done, summary: () => ({ stoppedAt: ctx.env.now }) };
      },
    };
    const r = await withWorkload("stopper", w, () => runScenario(scenario({ workload: { kind: "stopper" } }), { quiet: true }));
    expect(r.summary).toMatchObject({ endReason: "done", simulatedUs: 5_400_000_000, workload: { stoppedAt: 5_400_000_000 } });
  });
  test("barrier hooks are awaited between slices at their interval", async () => {
    const seen: number[] = [];
    const w: Workload<unknown> = {
      kind: "barrier",
      start(ctx) {
        ctx.onBarrier(30 * 60_000_000, async (now) => {
          await new Promise((r) => setTimeout(r, 1));
          seen.push(now);
          ctx.trace.emit("block", { at: now });
        });
        return { summary: () => ({}) };
      },
    };
    await withWorkload("barrier", w, () => runScenario(scenario({ workload: { kind: "barrier" } }), { quiet: true }));
    expect(seen).toEqual([1, 2, 3, 4].map((k) => k * 30 * 60_000_000));
  });
  test("a failing run leaves no directory, or an incomplete one when asked", async () => {
    const w: Workload<unknown> = {
      kind: "crash",
      start(ctx) {
        ctx.onBarrier(60 * 60_000_000, () => {
          throw new Error("anvil exited with code 1");
        });
        return { summary: () => ({}) };
      },
    };
    await withWorkload("crash", w, async () => {
      await expect(runScenario(scenario({ workload: { kind: "crash" } }), { outDir: join(dir, "crashed"), quiet: true })).rejects.toThrow("anvil exited");
      expect(existsSync(join(dir, "crashed"))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes(".partial-"))).toEqual([]);
      await expect(runScenario(scenario({ workload: { kind: "crash" } }), { outDir: join(dir, "kept"), quiet: true, keepIncomplete: true })).rejects.toThrow("anvil exited");
      expect(JSON.parse(readFileSync(join(dir, "kept", "summary.json"), "utf8"))).toEqual({ status: "incomplete", error: "anvil exited with code 1" });
    });
  });
});
