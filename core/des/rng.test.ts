import { describe, expect, test } from "bun:test";
import { RngStreams } from "./rng.ts";

describe("RngStreams", () => {
  test("the same path gives the same draws; another seed gives others", () => {
    const a = new RngStreams(42).stream("node", 6, "churn");
    const b = new RngStreams(42).stream("node", 6, "churn");
    const c = new RngStreams(43).stream("node", 6, "churn");
    const da = [a.random(), a.random(), a.random()];
    expect([b.random(), b.random(), b.random()]).toEqual(da);
    expect(c.random()).not.toBe(da[0]);
  });

  test("adding an RNG consumer for node 5 leaves node 6's draws unchanged", () => {
    const run = (extraConsumerForNode5: boolean) => {
      const streams = new RngStreams(7);
      const n5 = streams.stream("node", 5, "churn");
      n5.random();
      if (extraConsumerForNode5) {
        const extra = streams.stream("node", 5, "gossip");
        for (let i = 0; i < 100; i++) extra.random();
        for (let i = 0; i < 100; i++) n5.random();
      }
      const n6 = streams.stream("node", 6, "churn");
      return [n6.random(), n6.random(), n6.exponential(3)];
    };
    expect(run(true)).toEqual(run(false));
  });

  test("path parts cannot collide by concatenation", () => {
    const s = new RngStreams(1);
    expect(s.stream("a1", 2).random()).not.toBe(s.stream("a", 12).random());
  });

  test("distributions have the right means (fixed seed)", () => {
    const r = new RngStreams(2024).stream("moments");
    const n = 20000;
    let e = 0, z = 0, z2 = 0;
    for (let i = 0; i < n; i++) e += r.exponential(5);
    for (let i = 0; i < n; i++) { const x = r.normal(); z += x; z2 += x * x; }
    expect(e / n).toBeGreaterThan(4.8);
    expect(e / n).toBeLessThan(5.2);
    expect(Math.abs(z / n)).toBeLessThan(0.03);
    expect(z2 / n).toBeGreaterThan(0.96);
    expect(z2 / n).toBeLessThan(1.04);
    const d = r.dirichlet(0.5, 4);
    expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  test("rejects a seed that is not a non-negative integer", () => {
    expect(() => new RngStreams(-1)).toThrow(/seed must be a non-negative integer, got -1/);
    expect(() => new RngStreams(1.5)).toThrow(/got 1.5/);
  });
});
