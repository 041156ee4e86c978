// Check expressions: parsing, evaluation, and clear errors.
import { describe, expect, test } from "bun:test";
import { evaluateCheck, parseCheck } from "./checkExpression.ts";

const summary = {
  world: { availability: 0.93, availabilityByRegion: { "us-east": 0.9 } },
  workload: { ddp: { heldOutLoss: 2.0 }, diloco: { heldOutLoss: 2.08 }, delayMs: { byRegionPair: { "us-east->eu-west": { p99: 80 } } }, flag: true, none: null },
};

describe("parseCheck + evaluateCheck", () => {
  test("a simple comparison", () => {
    expect(evaluateCheck(parseCheck("world.availability > 0.9"), summary)).toEqual({ holds: true, left: 0.93, right: 0.9 });
  });
  test("arithmetic with precedence", () => {
    const r = evaluateCheck(parseCheck("workload.diloco.heldOutLoss <= 1.05 * workload.ddp.heldOutLoss"), summary);
    expect(r).toEqual({ holds: true, left: 2.08, right: 2.1 });
    expect(evaluateCheck(parseCheck("1 + 2 * 3 == 7"), summary).holds).toBe(true);
    expect(evaluateCheck(parseCheck("(1 + 2) * 3 == 9"), summary).holds).toBe(true);
    expect(evaluateCheck(parseCheck("-2 - -3 == 1"), summary).holds).toBe(true);
    expect(evaluateCheck(parseCheck("10 / 4 != 2"), summary).holds).toBe(true);
  });
  test("keys with dashes and bracketed keys", () => {
    expect(evaluateCheck(parseCheck("world.availabilityByRegion.us-east >= 0.9"), summary).holds).toBe(true);
    expect(evaluateCheck(parseCheck("workload.delayMs.byRegionPair['us-east->eu-west'].p99 < 100"), summary)).toEqual({ holds: true, left: 80, right: 100 });
  });
  test("a failing check reports both values", () => {
    expect(evaluateCheck(parseCheck("world.availability > 0.95"), summary)).toEqual({ holds: false, left: 0.93, right: 0.95 });
  });
  test("booleans count as 1/0", () => {
    expect(evaluateCheck(parseCheck("workload.flag == 1"), summary).holds).toBe(true);
  });
});

describe("errors", () => {
  test("syntax errors name the column", () => {
    expect(() => parseCheck("world.availability >")).toThrow('check "world.availability >": expected a number, a summary path or \'(\' at the end');
    expect(() => parseCheck("world.availability")).toThrow("expected a comparison");
    expect(() => parseCheck("a > 1 )")).toThrow("expected the end of the check at column 7");
    expect(() => parseCheck("a > $1")).toThrow('unexpected character "$" at column 5');
  });
  test("missing paths and non-numbers are named", () => {
    expect(() => evaluateCheck(parseCheck("world.nope > 1"), summary)).toThrow("world.nope: summary.json has no world.nope");
    expect(() => evaluateCheck(parseCheck("workload.none > 1"), summary)).toThrow("workload.none: expected a number in summary.json, got null");
  });
  test("no eval: code is not an expression", () => {
    expect(() => parseCheck("process.exit(1) == 1")).toThrow("expected a comparison");
  });
});
