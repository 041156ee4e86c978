// Mixes: exact apportionment and seeded assignment.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/index.ts";
import { apportion, assignMix } from "./mix.ts";

describe("apportion", () => {
  test("largest remainder gives exact totals", () => {
    expect(apportion({ h100: 0.1, rtx3060: 0.9 }, 7)).toEqual([["h100", 1], ["rtx3060", 6]]);
    expect(apportion({ a: 1, b: 1, c: 1 }, 10)).toEqual([["a", 4], ["b", 3], ["c", 3]]);
  });
  test("weights need not sum to one", () => {
    expect(apportion({ x: 2, y: 6 }, 4)).toEqual([["x", 1], ["y", 3]]);
  });
  test("all-zero weights are refused", () => {
    expect(() => apportion({ x: 0 }, 4)).toThrow("at least one positive weight");
  });
});

test("assignMix shuffles the apportioned values with the given stream", () => {
  const s = new RngStreams(1);
  const a = assignMix({ a: 0.5, b: 0.5 }, 10, s.stream("x"));
  expect(a.filter((v) => v === "a").length).toBe(5);
  expect(assignMix({ a: 0.5, b: 0.5 }, 10, s.stream("x"))).toEqual(a);
});
