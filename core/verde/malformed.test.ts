// Malformed protocol messages (wrong lengths, bad proofs, hashes of the wrong size, garbage) are
// rejected with a clear reason and lose for the sender; they never crash the run.
import { describe, expect, test } from "bun:test";
import { wrongStep } from "../agents/wrongStep.ts";
import { Rng } from "../des/rng.ts";
import type { DisputeRequest } from "./messages.ts";
import { stateHash } from "./program.ts";
import { Referee } from "./referee.ts";
import { HONEST, Solver, type Behaviour } from "./solver.ts";
import { runJob } from "./testing.ts";
import { TinyMlpProgram } from "./tinyMlpProgram.ts";

const program = new TinyMlpProgram({ steps: 40, seed: 11 });
const flip = (h: Uint8Array) => {
  const c = h.slice();
  c[0] ^= 1;
  return c;
};

/** A wrong-step adversary that, on the first request of `kind`, sends `mutate(its own answer)`. */
function sender(kind: DisputeRequest["kind"] | "commit", mutate: (own: any) => unknown, interval = 1): { behaviour: Behaviour; interval: number } {
  const base = wrongStep({ program, step: 23 });
  let done = false;
  return {
    interval,
    behaviour: {
      ...base,
      kind: "malformed",
      answer: (req, own) => {
        if (done || req.kind !== kind) return own;
        done = true;
        return mutate(own);
      },
    },
  };
}

const cases: [string, DisputeRequest["kind"], (own: any) => unknown, RegExp, number?][] = [
  ["a child hash of 31 bytes", "children", (o) => ({ ...o, left: o.left.slice(0, 31) }), /32-byte hash, got 31 bytes/],
  ["a child hash of 64 bytes", "children", (o) => ({ ...o, right: new Uint8Array(64) }), /32-byte hash, got 64 bytes/],
  ["a missing child", "children", (o) => ({ left: o.left }), /right child/],
  ["children as a string", "children", () => "0xdeadbeef", /not an object/],
  ["null", "children", () => null, /not an object/],
  ["a gap with the wrong number of states", "gap", (o) => ({ ...o, leafCount: o.leafCount + 1 }), /states, expected/, 8],
  ["a gap proof with a flipped sibling", "gap", (o) => ({ ...o, last: { ...o.last, siblings: o.last.siblings.map((s: Uint8Array, i: number) => (i === 0 ? flip(s) : s)) } }), /does not reach the root/, 8],
  ["a trace with the wrong node count", "trace", (o) => ({ ...o, nodeCount: 7 }), /7 nodes, the graph has 21/],
  ["a stateIn hash of 16 bytes", "trace", (o) => ({ ...o, stateIn: o.stateIn.map((h: Uint8Array, i: number) => (i === 1 ? h.slice(0, 16) : h)) }), /stateIn hash 1 must be a 32-byte hash, got 16 bytes/],
  ["too few stateOut proofs", "trace", (o) => ({ ...o, outProofs: o.outProofs.slice(1) }), /stateOut proofs has 3 entries, expected 4/],
  ["a proof with siblings that are not hashes", "trace", (o) => ({ ...o, anchor: { ...o.anchor, siblings: ["x"] } }), /anchor proof/],
  ["a proof for another leaf", "trace", (o) => ({ ...o, inProofs: [o.inProofs[1], ...o.inProofs.slice(1)] }), /is for leaf 1 of 21, expected leaf 0/],
  ["an input tensor of the wrong length", "inputs", (o) => ({ ...o, tensors: o.tensors.map((t: Float32Array, i: number) => (i === 0 ? t.subarray(1) : t)) }), /elements, node \d+ \(.*\) outputs/],
  ["an input as float64", "inputs", (o) => ({ ...o, tensors: o.tensors.map((t: Float32Array) => Float64Array.from(t)) }), /not a float32 tensor/],
  ["an input with a bad proof", "inputs", (o) => ({ ...o, proofs: o.proofs.map((p: any) => ({ ...p, siblings: p.siblings.map(flip) })) }), /does not reach the root/],
  ["an input that does not match its proof", "inputs", (o) => ({ ...o, tensors: o.tensors.map((t: Float32Array) => t.map((x) => x + 1)) }), /does not hash to its proven leaf/],
];

describe("malformed messages lose for the sender", () => {
  for (const [what, kind, mutate, reason, interval] of cases) {
    test(`${kind}: ${what}`, () => {
      const s = sender(kind, mutate, interval ?? 1);
      const job = runJob(program, [{ id: "honest", behaviour: HONEST }, { id: "sender", behaviour: s.behaviour }], { interval: s.interval });
      const d = job.disputes[0];
      expect(d.losers).toEqual(["sender"]);
      expect(d.winner).toBe("honest");
      expect(["malformed", "bad-proof", "inconsistent"]).toContain(d.reason);
      expect(d.detail).toMatch(reason);
      expect(d.refereeOps).toBe(0);
    });
  }

  test("a malformed commitment (root of 31 bytes, missing proof) loses before any round", () => {
    const good = new Solver({ id: "honest", program }).train();
    const bad = new Solver({ id: "sender", program, behaviour: wrongStep({ program, step: 3 }) }).train();
    const opts = { program, initialHash: stateHash(program.initialState()), interval: 1 };
    const r1 = new Referee(opts, good, { ...bad, root: bad.root.slice(1) });
    expect(r1.ruling).toMatchObject({ losers: [1], reason: "malformed" });
    expect(r1.ruling!.detail).toContain("commitment root must be a 32-byte hash, got 31 bytes");
    const r2 = new Referee(opts, { ...bad, resultProof: undefined }, good);
    expect(r2.ruling).toMatchObject({ losers: [0], reason: "malformed" });
    const r3 = new Referee(opts, good, { ...bad, resultProof: { ...bad.resultProof, siblings: bad.resultProof.siblings.map(flip) } });
    expect(r3.ruling).toMatchObject({ losers: [1], reason: "bad-proof" });
    const r4 = new Referee(opts, 42, "junk");
    expect(r4.ruling!.losers).toEqual([0, 1]);
  });
});

/** A random corruption of a message: drop, retype, resize or replace one field, or the whole message. */
function garble(own: any, rng: Rng): unknown {
  const junk = [null, undefined, 0, -1, NaN, "x", [], {}, new Uint8Array(31), new Uint8Array(33), new Float32Array(3), new Float64Array(2)];
  if (rng.bernoulli(0.15)) return junk[rng.int(junk.length)];
  const keys = Object.keys(own).sort();
  const key = keys[rng.int(keys.length)];
  const v = own[key];
  const out = { ...own };
  const r = rng.int(5);
  if (r === 0) delete out[key];
  else if (r === 1) out[key] = junk[rng.int(junk.length)];
  else if (r === 2 && Array.isArray(v)) out[key] = rng.bernoulli(0.5) ? v.slice(1) : [...v, v[0]];
  else if (r === 3 && (v instanceof Uint8Array || v instanceof Float32Array)) out[key] = v.subarray(0, Math.max(0, v.length - 1 - rng.int(3)));
  else if (v && typeof v === "object" && !ArrayBuffer.isView(v) && !Array.isArray(v)) out[key] = { ...v, leafIndex: (v.leafIndex ?? 0) + 1 };
  else out[key] = junk[rng.int(junk.length)];
  return out;
}

function fuzz(seed: number): void {
  const rng = new Rng(`garble-${seed}`);
  const interval = [1, 4][rng.int(2)];
  const atRound = 1 + rng.int(14);
  const base = wrongStep({ program, step: rng.int(program.steps) });
  const behaviour: Behaviour = { ...base, kind: "garbler", answer: (_req, own, round) => (round === atRound ? garble(own, rng) : own) };
  const job = runJob(program, [{ id: "honest", behaviour: HONEST }, { id: "garbler", behaviour }], { interval });
  const d = job.disputes[0];
  expect(d.winner, `seed ${seed}: ${d.detail}`).toBe("honest");
  expect(d.detail.length).toBeGreaterThan(10);
}

describe("fuzzed messages never crash the run and always lose for the sender", () => {
  test("fixed seed 3", () => fuzz(3));
  test("property over 200 seeds: random corruption of a random field at a random round", () => {
    for (let seed = 0; seed < 200; seed++) fuzz(seed);
  });
});
