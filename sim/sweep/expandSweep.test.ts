// Sweep expansion: grid x zip x seeds, stable sorted ids, uneven zips refused.
import { describe, expect, test } from "bun:test";
import { expandCombinations, expandSweep } from "./expandSweep.ts";

describe("expandSweep", () => {
  test("grid x zip x seeds, first grid key slowest, zip rows walked together", () => {
    const combos = expandCombinations({ grid: { a: [1, 2], b: ["x", "y"] }, zip: { c: [10, 20], d: [true, false] } }, "f.yaml");
    expect(combos.length).toBe(8);
    expect(combos[0]).toEqual({ a: 1, b: "x", c: 10, d: true });
    expect(combos[1]).toEqual({ a: 1, b: "x", c: 20, d: false });
    expect(combos[2]).toEqual({ a: 1, b: "y", c: 10, d: true });
    expect(combos[7]).toEqual({ a: 2, b: "y", c: 20, d: false });
  });

  test("point ids are zero-padded, stable and sorted by combination then seed", () => {
    const pts = expandSweep({ grid: { a: [1, 2, 3] } }, [12, 3, 100], "f.yaml");
    expect(pts.map((p) => p.id)).toEqual([
      "p000-s0003", "p000-s0012", "p000-s0100", "p001-s0003", "p001-s0012", "p001-s0100", "p002-s0003", "p002-s0012", "p002-s0100",
    ]);
    expect(pts[4]).toEqual({ id: "p001-s0012", combo: 1, seed: 12, params: { a: 2 } });
    expect(expandSweep({ grid: { a: [1, 2, 3] } }, [100, 12, 3], "f.yaml")).toEqual(pts);
  });

  test("no sweep: one combination per seed", () => {
    expect(expandSweep(undefined, [5], "f.yaml")).toEqual([{ id: "p000-s0005", combo: 0, seed: 5, params: {} }]);
  });

  test("zip lists of unequal length are an error naming them, never padded", () => {
    expect(() => expandSweep({ zip: { "workload.demand.baseFeesPerDay": [1, 2, 3], "workload.demand.annualGrowth": [0, 1] } }, [1], "s.yaml")).toThrow(
      "s.yaml: sweep.zip: lists must have equal lengths (never padded): workload.demand.baseFeesPerDay has 3, workload.demand.annualGrowth has 2",
    );
  });

  test("a path in both grid and zip, and duplicate seeds, are refused", () => {
    expect(() => expandSweep({ grid: { a: [1] }, zip: { a: [2] } }, [1], "s.yaml")).toThrow("a is in both grid and zip");
    expect(() => expandSweep({ grid: { a: [1] } }, [1, 1], "s.yaml")).toThrow("duplicates");
  });
});
