// Progressive filling against an independent max-min solver and the bottleneck characterisation
// of max-min fairness (every flow crosses a saturated resource where no flow gets more).
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../des/index.ts";
import { progressiveFilling } from "./maxMin.ts";
import { isMaxMinFair, referenceMaxMin, type Pair } from "./maxMinReference.ts";

/** Solve with the production code, from a plain (capacities, flows as resource pairs) problem. */
function solve(capacity: readonly number[], flows: readonly Pair[]): number[] {
  const R = capacity.length;
  const lists: number[][] = Array.from({ length: R }, () => []);
  flows.forEach(([a, b], f) => {
    lists[a].push(f);
    lists[b].push(f);
  });
  const atStart = [0];
  for (const l of lists) atStart.push(atStart[atStart.length - 1] + l.length);
  const rates = new Float64Array(flows.length);
  progressiveFilling(
    { capacity, key: capacity.map((_, r) => r), flowA: flows.map((f) => f[0]), flowB: flows.map((f) => f[1]), atStart, at: lists.flat() },
    rates,
  );
  return [...rates];
}

/** A random problem: uplinks 0..n-1, downlinks n..2n-1, capacities drawn from a few levels (ties happen). */
function randomProblem(seed: number): { capacity: number[]; flows: Pair[] } {
  const rng = new RngStreams(seed).stream("maxmin");
  const n = 2 + rng.int(5);
  const levels = [0.375, 1, 2.5, 3.125, 37.5, 62.5, 125];
  const capacity = Array.from({ length: 2 * n }, () => (rng.random() < 0.5 ? levels[rng.int(levels.length)] : 0.1 + rng.random() * 100));
  const flows: Pair[] = [];
  const F = 1 + rng.int(14);
  for (let i = 0; i < F; i++) {
    const from = rng.int(n);
    let to = rng.int(n - 1);
    if (to >= from) to++;
    flows.push([from, n + to]);
  }
  return { capacity, flows };
}

function expectClose(got: readonly number[], want: readonly number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (Math.abs(g - want[i]) > 1e-9 * Math.abs(want[i])) throw new Error(`flow ${i}: got ${g}, reference ${want[i]}`);
  });
}

describe("progressive filling", () => {
  test("a sender with a fast and a slow receiver: the fast one takes what the slow one leaves", () => {
    // uplink 0 (62.5), downlinks 1 (125, fast) and 2 (3.125, slow)
    expect(solve([62.5, 125, 3.125], [[0, 1], [0, 2]])).toEqual([59.375, 3.125]);
  });
  test("two levels: a receiver shared by three senders, one of which also feeds an idle receiver", () => {
    // uplinks 0, 1, 2 at 10; downlink 3 at 6 (shared by all three), downlink 4 at 100 (only from 0)
    // downlink 3 fills first at 2 each; uplink 0 has 8 left for its flow to 4
    expect(solve([10, 10, 10, 6, 100], [[0, 3], [1, 3], [2, 3], [0, 4]])).toEqual([2, 2, 2, 8]);
  });
  test("matches the independent solver and is max-min fair on random problems (property, seeds 1-400)", () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { capacity, flows } = randomProblem(seed);
      const got = solve(capacity, flows);
      expectClose(got, referenceMaxMin(capacity, flows));
      expect(isMaxMinFair(capacity, flows, got)).toBe(true);
    }
  });
  test("fixed-seed twin: seed 7's problem and its rates", () => {
    const { capacity, flows } = randomProblem(7);
    const got = solve(capacity, flows);
    expectClose(got, referenceMaxMin(capacity, flows));
    expect(isMaxMinFair(capacity, flows, got)).toBe(true);
    // 12 flows over 6 uplinks (0-5) and 6 downlinks (6-11); levels worked out by hand:
    expect(flows.length).toBe(12);
    const c = capacity;
    const third10 = c[10] / 3; // downlink 10 carries 3 flows and fills first among theirs
    const eighth = c[8] / 3; // downlink 8: flows 2, 5, 6
    expect(got[8]).toBe(3.125 / 2); // downlink 7 (3.125) split by flows 8 and 10
    expect(got[10]).toBe(3.125 / 2);
    expect(got[0]).toBe(c[4] / 2); // uplink 4 split by flows 0 and 9
    expect(got[9]).toBe(c[4] / 2);
    expect(got[4]).toBe(c[9]); // alone on downlink 9
    for (const f of [1, 3, 11]) expect(got[f]).toBeCloseTo(third10, 12);
    for (const f of [2, 5, 6]) expect(got[f]).toBeCloseTo(eighth, 12);
    expect(got[7]).toBeCloseTo(c[3] - third10 - 2 * eighth, 12); // what uplink 3 has left
    expect(got[7]).toBeCloseTo(30.245546918983262, 12);
  });
  test("the allocation does not depend on the order flows are listed in", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { capacity, flows } = randomProblem(seed);
      const order = flows.map((_, i) => i).reverse();
      const reversed = solve(capacity, order.map((i) => flows[i]));
      expect(order.map((_, k) => reversed[order.indexOf(k)])).toEqual(solve(capacity, flows));
    }
  });
  test("the fairness check itself rejects an equal-share allocation that wastes an uplink", () => {
    expect(isMaxMinFair([62.5, 125, 3.125], [[0, 1], [0, 2]], [31.25, 3.125])).toBe(false);
  });
});

describe("list order cannot change a bit", () => {
  test("a fixed share that rounds one ulp below its tie: the same rates under all 120 resource orders", () => {
    // Uplinks 0, 2 (0.7 / 4 each, tied with the downlink's 0.7 / 4), 3, 4 and downlink 5 (global
    // keys); fixing a flow at 0.175 leaves (0.7 - 0.175) / 3 = 0.17499999999999996 at the downlink.
    const res = [
      { key: 0, cap: 0.7 / 4 },
      { key: 2, cap: 0.7 / 4 },
      { key: 3, cap: 10 },
      { key: 4, cap: 10 },
      { key: 5, cap: 0.7 },
    ];
    const flows: [number, number][] = [[0, 4], [1, 4], [2, 4], [3, 4]]; // indices into res
    const perms = (xs: number[]): number[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
    const results = new Set<string>();
    for (const order of perms([0, 1, 2, 3, 4])) {
      const local = new Array<number>(5);
      order.forEach((r, i) => (local[r] = i));
      const lists: number[][] = order.map(() => []);
      flows.forEach(([a, b], f) => {
        lists[local[a]].push(f);
        lists[local[b]].push(f);
      });
      const atStart = [0];
      for (const l of lists) atStart.push(atStart[atStart.length - 1] + l.length);
      const rates = new Float64Array(flows.length);
      progressiveFilling(
        { capacity: order.map((r) => res[r].cap), key: order.map((r) => res[r].key), flowA: flows.map((f) => local[f[0]]), flowB: flows.map((f) => local[f[1]]), atStart, at: lists.flat() },
        rates,
      );
      results.add(JSON.stringify([...rates]));
    }
    expect([...results]).toEqual([JSON.stringify([0.175, 0.17499999999999996, 0.17499999999999996, 0.17499999999999996])]);
  });
});

