// Tests for Merkle trees: hand-built small trees, tampered proofs, every size up to 70 and many seeds.
import { describe, expect, test } from "bun:test";
import { Rng } from "../des/rng.ts";
import { ProtocolError } from "../errors.ts";
import { hashBytes, hashConcat, type HashAlgorithm } from "./hash.ts";
import {
  emptyMerkleRoot,
  isValidMerkleProof,
  merkleProofLength,
  MerkleTree,
  merkleRoot,
  verifyMerkleProof,
} from "./merkle.ts";

const leafOf = (s: string) => hashBytes(new TextEncoder().encode(s));
const L = (x: Uint8Array, algo: HashAlgorithm = "sha256") => hashConcat([Uint8Array.of(0), x], algo);
const N = (a: Uint8Array, b: Uint8Array, algo: HashAlgorithm = "sha256") => hashConcat([Uint8Array.of(1), a, b], algo);
const [a, b, c, d, e] = ["a", "b", "c", "d", "e"].map(leafOf);

describe("merkleRoot by hand", () => {
  test("one leaf: the tagged leaf", () => {
    expect(merkleRoot([a])).toEqual(L(a));
  });
  test("two and four leaves: tagged pairs", () => {
    expect(merkleRoot([a, b])).toEqual(N(L(a), L(b)));
    expect(merkleRoot([a, b, c, d])).toEqual(N(N(L(a), L(b)), N(L(c), L(d))));
  });
  test("odd counts promote the last node unchanged", () => {
    expect(merkleRoot([a, b, c])).toEqual(N(N(L(a), L(b)), L(c)));
    expect(merkleRoot([a, b, c, d, e])).toEqual(N(N(N(L(a), L(b)), N(L(c), L(d))), L(e)));
    expect(merkleRoot([a, b, c])).not.toEqual(merkleRoot([a, b, c, c]));
  });
  test("keccak256 trees use keccak at every node", () => {
    expect(merkleRoot([a, b, c], "keccak256")).toEqual(N(N(L(a, "keccak256"), L(b, "keccak256"), "keccak256"), L(c, "keccak256"), "keccak256"));
  });
  test("empty tree root is H(0x02)", () => {
    expect(merkleRoot([])).toEqual(hashBytes(Uint8Array.of(2)));
    expect(emptyMerkleRoot("keccak256")).toEqual(hashBytes(Uint8Array.of(2), "keccak256"));
  });
  test("a leaf that is not 32 bytes is rejected", () => {
    expect(() => merkleRoot([a, new Uint8Array(31)])).toThrow(/Merkle leaf 1 must be 32 bytes, got 31/);
  });
});

describe("proofs", () => {
  const tree = new MerkleTree([a, b, c, d, e]);
  test("proof for leaf 2 of 5 carries three siblings, leaf 4 only the left subtree", () => {
    expect(tree.proof(2).siblings).toEqual([L(d), N(L(a), L(b)), L(e)]);
    expect(merkleProofLength(2, 5)).toBe(3);
    expect(tree.proof(4).siblings).toEqual([N(N(L(a), L(b)), N(L(c), L(d)))]);
    expect(merkleProofLength(4, 5)).toBe(1);
    for (let i = 0; i < 5; i++) verifyMerkleProof(tree.root, tree.proof(i));
  });
  test("tampered leaf, sibling, index or count is rejected with a reason", () => {
    const p = tree.proof(2);
    expect(() => verifyMerkleProof(tree.root, { ...p, leaf: d })).toThrow(/does not reach the root/);
    const flipped = p.siblings.map((s) => s.slice());
    flipped[1][0] ^= 1;
    expect(() => verifyMerkleProof(tree.root, { ...p, siblings: flipped })).toThrow(/does not reach the root/);
    expect(() => verifyMerkleProof(tree.root, { ...p, leafIndex: 3 })).toThrow(ProtocolError);
    expect(() => verifyMerkleProof(tree.root, { ...p, leafCount: 4 })).toThrow(/has 3 siblings, expected 2/);
    expect(() => verifyMerkleProof(tree.root, { ...p, leafIndex: 5 })).toThrow(/leafIndex 5 out of range/);
  });
  test("wrong lengths and sizes are named", () => {
    const p = tree.proof(2);
    expect(() => verifyMerkleProof(tree.root, { ...p, siblings: p.siblings.slice(0, 1) })).toThrow(
      /has 1 siblings, expected 3/,
    );
    expect(() => verifyMerkleProof(tree.root, { ...p, siblings: [...p.siblings, a] })).toThrow(/has 4 siblings, expected 3/);
    expect(() => verifyMerkleProof(tree.root, { ...p, siblings: [p.siblings[0], new Uint8Array(33), p.siblings[2]] })).toThrow(
      /sibling 1 must be 32 bytes, got 33/,
    );
    expect(() => verifyMerkleProof(new Uint8Array(16), p)).toThrow(/Merkle root must be 32 bytes, got 16/);
    expect(() => verifyMerkleProof(tree.root, { ...p, leaf: new Uint8Array(0) })).toThrow(/leaf must be 32 bytes/);
    expect(() => verifyMerkleProof(tree.root, { ...p, leafCount: 0 })).toThrow(/leafCount 0/);
    expect(isValidMerkleProof(tree.root, { ...p, leaf: e })).toBe(false);
    expect(isValidMerkleProof(tree.root, p)).toBe(true);
  });
  test("proof() rejects an index outside the tree", () => {
    expect(() => tree.proof(5)).toThrow(/index 5 out of range/);
  });
});

function checkRandomTrees(seed: string, sizes: number[]) {
  const rng = new Rng(seed);
  for (const n of sizes) {
    const leaves = Array.from({ length: n }, () => hashBytes(Uint8Array.of(rng.int(256), rng.int(256), rng.int(256))));
    const tree = new MerkleTree(leaves);
    for (let i = 0; i < n; i++) {
      const p = tree.proof(i);
      expect(p.siblings.length).toBe(merkleProofLength(i, n));
      verifyMerkleProof(tree.root, p);
      // The same proof against a different position or a flipped sibling must fail.
      if (n > 1) expect(isValidMerkleProof(tree.root, { ...p, leafIndex: (i + 1) % n })).toBe(false);
      if (p.siblings.length > 0) {
        const k = rng.int(p.siblings.length);
        const s = p.siblings.map((x) => x.slice());
        s[k][rng.int(32)] ^= 1 << rng.int(8);
        expect(isValidMerkleProof(tree.root, { ...p, siblings: s })).toBe(false);
      }
    }
    expect(merkleProofLength(0, n)).toBeLessThanOrEqual(Math.ceil(Math.log2(Math.max(n, 1))));
  }
}

describe("property: every proof in every tree verifies and tampering fails", () => {
  test("fixed seed, sizes 1..70", () => {
    checkRandomTrees("merkle-fixed", Array.from({ length: 70 }, (_, i) => i + 1));
  });
  test("20 seeds, random sizes up to 200", () => {
    for (let s = 0; s < 20; s++) {
      const r = new Rng(`merkle-sizes-${s}`);
      checkRandomTrees(`merkle-${s}`, [1 + r.int(200), 1 + r.int(33)]);
    }
  });
});
