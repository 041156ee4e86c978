// Tests for the Merkle descent: same roots as core/ml/merkle.ts, first differing leaf, rounds = height.
import { describe, expect, test } from "bun:test";
import { hashBytes } from "../ml/hash.ts";
import { merkleRoot } from "../ml/merkle.ts";
import { MerkleDescent, MerkleLevels, treeHeight } from "./merkleDescent.ts";
import { Rng } from "../des/rng.ts";

const leaf = (tag: string) => hashBytes(new TextEncoder().encode(tag));

function descend(a: Uint8Array[], b: Uint8Array[]) {
  const ta = new MerkleLevels(a);
  const tb = new MerkleLevels(b);
  const d = new MerkleDescent(a.length, ta.root, tb.root);
  for (let q = d.query; q !== null; q = d.query) {
    const ra = ta.reveal(q.level, q.index);
    const rb = tb.reveal(q.level, q.index);
    expect(d.check(0, ra)).toBeNull();
    expect(d.check(1, rb)).toBeNull();
    d.advance(ra, rb);
  }
  return d;
}

describe("MerkleLevels", () => {
  test("has the same root as core/ml/merkle.ts for every size 1..40", () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leaf(`l${i}`));
      expect(new MerkleLevels(leaves).root).toEqual(merkleRoot(leaves));
    }
  });
});

describe("MerkleDescent", () => {
  test("finds the first differing leaf in ceil(log2 n) rounds at most (fixed case: 1001 leaves, differ from 613)", () => {
    const a = Array.from({ length: 1001 }, (_, i) => leaf(`s${i}`));
    const b = a.map((x, i) => (i >= 613 ? leaf(`bad${i}`) : x));
    const d = descend(a, b);
    expect(d.leaf!.index).toBe(613);
    expect(d.leaf!.a).toEqual(a[613]);
    expect(d.leaf!.b).toEqual(b[613]);
    expect(d.rounds).toBeLessThanOrEqual(treeHeight(1001));
  });

  test("property: over 300 random sizes and difference patterns it finds the first differing leaf", () => {
    const rng = new Rng("descent");
    for (let t = 0; t < 300; t++) {
      const n = 1 + rng.int(300);
      const a = Array.from({ length: n }, (_, i) => leaf(`s${i}`));
      const first = rng.int(n);
      const b = a.map((x, i) => (i === first || (i > first && rng.bernoulli(0.5)) ? leaf(`x${t}.${i}`) : x));
      const d = descend(a, b);
      expect(d.leaf!.index).toBe(first);
      expect(d.rounds).toBeLessThanOrEqual(Math.max(1, treeHeight(n)));
    }
  });

  test("rejects children that do not hash to the committed node, and hashes of the wrong size", () => {
    const a = Array.from({ length: 8 }, (_, i) => leaf(`s${i}`));
    const b = a.map((x, i) => (i === 5 ? leaf("bad") : x));
    const tb = new MerkleLevels(b);
    const d = new MerkleDescent(8, new MerkleLevels(a).root, tb.root);
    const honest = tb.reveal(3, 0);
    expect(d.check(1, honest)).toBeNull();
    expect(d.check(1, { left: honest.right, right: honest.left })).toContain("not the committed");
    expect(d.check(1, { left: honest.left.slice(0, 31), right: honest.right })).toContain("32-byte hash, got 31 bytes");
    expect(d.check(1, { left: honest.left })).toContain("right child");
    expect(d.check(1, "junk")).toContain("not an object");
  });
});
