// Synthetic traces: bisecting an honest and a faulty trace lands on the fault's step and node,
// for every fault position (REFERENCE §3), and the faulty root differs from the honest one.
import { describe, expect, test } from "bun:test";
import { Rng } from "../des/index.ts";
import { jobSpecHash, TraceModel, type Fault } from "./traceModel.ts";

/** The DisputeGame's rule: agree at mid -> lo = mid, else hi = mid; steps phase, then graph phase. */
function bisect(m: TraceModel, a: Fault | null, b: Fault | null): { step: number; node: number } {
  let lo = 0;
  let hi = m.steps;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (m.stateHash(mid, a) === m.stateHash(mid, b)) lo = mid;
    else hi = mid;
  }
  const step = lo;
  lo = 0;
  hi = m.graphNodes;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (m.graphHash(step, mid, a) === m.graphHash(step, mid, b)) lo = mid;
    else hi = mid;
  }
  return { step, node: hi };
}

describe("TraceModel", () => {
  const m = new TraceModel(jobSpecHash(1, 0), 32, 24);

  test("a fault at step 9, node 5 is found at transition 8 -> 9, graph position 5", () => {
    const fault = { step: 9, node: 5, tag: "n1" };
    expect(m.resultRoot(fault)).not.toBe(m.resultRoot(null));
    expect(bisect(m, null, fault)).toEqual({ step: 8, node: 5 });
    // The referee's hash at that node is the honest one.
    expect(m.graphHash(8, 5, null)).not.toBe(m.graphHash(8, 5, fault));
  });

  test("every fault position is found, for 200 random faults", () => {
    const rng = new Rng("trace-model");
    for (let i = 0; i < 200; i++) {
      const fault = { step: 1 + rng.int(m.steps), node: 1 + rng.int(m.graphNodes), tag: `n${i}` };
      expect(bisect(m, fault, null)).toEqual({ step: fault.step - 1, node: fault.node });
    }
  });

  test("two liars with the same fault position disagree with each other and with the truth", () => {
    const a = { step: 4, node: 3, tag: "n1" };
    const b = { step: 4, node: 3, tag: "n2" };
    const at = bisect(m, a, b);
    expect(at).toEqual({ step: 3, node: 3 });
    const truth = m.graphHash(3, 3, null);
    expect([m.graphHash(3, 3, a), m.graphHash(3, 3, b)]).not.toContain(truth);
  });
});
