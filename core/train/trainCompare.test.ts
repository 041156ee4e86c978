import { describe, expect, test } from "bun:test";
import { trainCompare } from "./trainCompare.ts";
import { trainCompareSchema } from "./trainParams.ts";
import { trainTestContext } from "./trainTestWorld.ts";
import type { WorldSpec } from "../world/spec.ts";

/** The shared small test world (trainTestWorld.ts), without the world handle. */
function context(seed: number, spec: Partial<WorldSpec> = {}) {
  const { ctx, lines } = trainTestContext(seed, spec);
  return { ctx, lines };
}

const small = { task: { poolSize: 1024, heldOutSize: 128, inputs: 8 }, hidden: 16, batch: 8, steps: 40, virtual: { parameters: 10e6, tokensPerExample: 128 } };
const arms = trainCompareSchema.parse({
  kind: "train-compare",
  arms: [
    { name: "ddp", kind: "ddp", ...small },
    { name: "diloco", kind: "diloco", H: 10, ...small },
    { name: "builtin", kind: "diloco", H: 10, ...small, engine: "builtin" },
    { name: "streaming", kind: "streaming-diloco", H: 10, fragments: 2, bits: 4, ...small },
    { name: "noloco", kind: "noloco", H: 10, ...small },
    { name: "hdee", kind: "hdee", steps: 20, hidden: 8, batch: 8, task: { poolSize: 256, heldOutSize: 64, inputs: 8 }, validationSize: 64, allocation: "iterations", domains: [{ name: "a", teacherHidden: 4, weight: 1 }, { name: "b", teacherHidden: 16, weight: 3 }] },
  ],
});

function runAll(seed: number) {
  const { ctx, lines } = context(seed);
  const run = trainCompare(ctx, arms);
  ctx.env.run(run.done);
  return { summary: JSON.stringify(run.summary()), lines, s: run.summary() as Record<string, any> };
}

describe("train-compare", () => {
  const a = runAll(3);
  test("the same seed gives the same summary and the same trace, byte for byte", () => {
    const b = runAll(3);
    expect(b.summary).toBe(a.summary);
    expect(b.lines.join("\n")).toBe(a.lines.join("\n"));
  });
  test("another seed gives other numbers", () => {
    expect(runAll(4).summary).not.toBe(a.summary);
  });
  test("every arm trains: held-out loss falls below its starting value", () => {
    for (const name of ["ddp", "diloco", "builtin", "streaming", "noloco"]) {
      const s = a.s[name];
      expect(s.heldOutLoss).toBeLessThan(s.curve[0][1]);
      expect(s.tokens).toBe(6 * 40 * 8 * 128);
    }
  });
  test("inner steps run on the run's backend unless an arm asks for the builtin kernels", () => {
    expect(a.s.diloco.engine).toBe("repops");
    expect(a.s.builtin.engine).toBe("builtin");
    // Same task, same start, same batches: two implementations of the same steps land close.
    expect(Math.abs(a.s.diloco.heldOutLoss - a.s.builtin.heldOutLoss)).toBeLessThan(0.05);
  });
  test("DiLoCo with H=10 sends 1/10 of DDP's bytes; streaming sends 4-bit fragments", () => {
    expect(a.s.diloco.bytesSent * 10).toBe(a.s.ddp.bytesSent);
    expect(a.s.streaming.fragmentBytes).toBe(Math.ceil((5e6 * 4) / 8) + Math.ceil(5e6 / 256) * 4);
    expect(a.s.streaming.peakSyncBytesPerNode).toBeLessThan(a.s.diloco.peakSyncBytesPerNode / 10);
  });
  test("NoLoCo exchanges fast and slow weights with one partner per outer step", () => {
    // 6 workers, 4 outer steps, 2 x 40 MB to the one partner each time.
    expect(a.s.noloco.bytesSent).toBe(6 * 4 * 2 * 40e6);
    expect(a.s.noloco.syncs).toBe(3 * 4);
  });
  test("HDEE experts train without communication, at equal FLOPs across allocations", () => {
    expect(a.s.hdee.bytesSent).toBe(0);
    expect(a.s.hdee.domains.a.steps).toBe(10);
    expect(a.s.hdee.domains.b.steps).toBe(30);
  });
  test("an unknown arm field is refused with the arm named", () => {
    expect(() => trainCompare(context(1).ctx, trainCompareSchema.parse({ kind: "train-compare", arms: [{ name: "x", kind: "diloco", Hh: 3 }] }))).toThrow(/arms\[0\] \(x\)/);
  });
});

describe("DiLoCo under churn", () => {
  test("workers that go down lose their round; those that come back fetch the weights", () => {
    const { ctx } = context(8, {
      churn: { fraction: 1, up: { dist: "exponential", mean: 2_000_000 }, down: { dist: "exponential", mean: 1_000_000 } },
    });
    const run = trainCompare(ctx, trainCompareSchema.parse({ kind: "train-compare", arms: [{ name: "d", kind: "diloco", H: 5, ...small, steps: 60 }] }));
    ctx.env.run(run.done);
    const s = run.summary().d as Record<string, number>;
    expect(s.rounds).toBe(12);
    expect(s.rejoins).toBeGreaterThan(0);
    expect(s.droppedContributions).toBeGreaterThan(0);
    expect(Number.isFinite(s.heldOutLoss)).toBe(true);
  });
});

describe("out of memory", () => {
  test("nodes that cannot hold the virtual model while training are left out", () => {
    const { ctx } = context(2, {
      groups: [
        { count: 2, hardware: { rtx3060: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } },
        { count: 3, hardware: { a100: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } },
      ],
    });
    // 1e9 parameters x 16 bytes = 14.9 GiB: too much for a 12 GB RTX 3060, fine on an 80 GB A100.
    const big = { ...small, steps: 10, virtual: { parameters: 1e9 } };
    const run = trainCompare(ctx, trainCompareSchema.parse({ kind: "train-compare", arms: [{ name: "d", kind: "diloco", H: 5, ...big }] }));
    ctx.env.run(run.done);
    const s = run.summary().d as Record<string, number>;
    expect(s.workers).toBe(3);
    expect(s.nodesOutOfMemory).toBe(2);
    const small3060 = context(2, { groups: [{ count: 2, hardware: { rtx3060: 1 }, regions: { "us-east": 1 }, link: { cloud: 1 } }] }).ctx;
    const failing = trainCompare(small3060, trainCompareSchema.parse({ kind: "train-compare", arms: [{ name: "d", kind: "diloco", ...big }] }));
    expect(() => small3060.env.run(failing.done)).toThrow(/only 0 of the world's 2 nodes can hold the model/);
  });
});
