// Merkle trees over 32-byte hashes: roots, inclusion proofs and their verification (REFERENCE §1, §3).
//
// Construction (fixed; commitments depend on it):
// - leaf node  = H(0x00 || leaf)            (domain separation: a leaf can never pose as an inner node)
// - inner node = H(0x01 || left || right)
// - a level with an odd count promotes its last node unchanged to the next level (no duplication,
//   so [a, b, c] and [a, b, c, c] have different roots)
// - the root of zero leaves is H(0x02) (a defined "empty" commitment)
// H is sha256 or keccak256 (hash.ts). The root does not commit to the leaf count by itself: a
// verifier takes leafCount from the commitment it trusts (e.g. the number of committed steps).
import { ProtocolError } from "../errors.ts";
import { HASH_BYTES, hashConcat, hashEqual, toHex, type HashAlgorithm } from "./hash.ts";

const LEAF_TAG = Uint8Array.of(0);
const INNER_TAG = Uint8Array.of(1);
const EMPTY_TAG = Uint8Array.of(2);

/** Inclusion proof of leaf `leafIndex` in a tree of `leafCount` leaves. */
export interface MerkleProof {
  algorithm: HashAlgorithm;
  leafIndex: number;
  leafCount: number;
  /** The 32-byte leaf hash being proven (before leaf tagging). */
  leaf: Uint8Array;
  /** Sibling node hashes from the bottom level up; promoted levels contribute none. */
  siblings: Uint8Array[];
}

function checkDigest(bytes: unknown, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new ProtocolError(`${what} is not a byte array`, { details: `got ${typeof bytes}` });
  if (bytes.length !== HASH_BYTES) {
    throw new ProtocolError(`${what} must be ${HASH_BYTES} bytes, got ${bytes.length}`, { details: `value: 0x${toHex(bytes)}` });
  }
}

/** Leaf node H(0x00 || leaf). */
export function leafNode(leaf: Uint8Array, algorithm: HashAlgorithm): Uint8Array {
  return hashConcat([LEAF_TAG, leaf], algorithm);
}

/** Inner node H(0x01 || left || right). */
export function innerNode(left: Uint8Array, right: Uint8Array, algorithm: HashAlgorithm): Uint8Array {
  return hashConcat([INNER_TAG, left, right], algorithm);
}

/**
 * Every level of the tree over `leaves` (not checked here): levels[0] the tagged leaf nodes,
 * the last one [root]; an odd last node is promoted unchanged. One empty level for zero leaves.
 * The one construction shared by MerkleTree and Verde's MerkleLevels (core/verde/merkleDescent.ts).
 */
export function merkleLevels(leaves: readonly Uint8Array[], algorithm: HashAlgorithm): Uint8Array[][] {
  let level = leaves.map((l) => leafNode(l, algorithm));
  const levels = [level];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(innerNode(level[i], level[i + 1], algorithm));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    levels.push(next);
    level = next;
  }
  return levels;
}

/** Root of an empty tree: H(0x02). */
export function emptyMerkleRoot(algorithm: HashAlgorithm = "sha256"): Uint8Array {
  return hashConcat([EMPTY_TAG], algorithm);
}

/** A Merkle tree kept in memory, level by level, so that many proofs are cheap. */
export class MerkleTree {
  readonly algorithm: HashAlgorithm;
  readonly leafCount: number;
  /** levels[0] are the tagged leaf nodes; the last level holds the root alone. */
  private readonly levels: Uint8Array[][];
  private readonly leaves: Uint8Array[];

  constructor(leaves: readonly Uint8Array[], algorithm: HashAlgorithm = "sha256") {
    this.algorithm = algorithm;
    this.leafCount = leaves.length;
    leaves.forEach((leaf, i) => checkDigest(leaf, `Merkle leaf ${i}`));
    this.leaves = leaves.map((l) => l.slice());
    this.levels = leaves.length === 0 ? [] : merkleLevels(this.leaves, algorithm);
  }

  /** The 32-byte root (H(0x02) for zero leaves). */
  get root(): Uint8Array {
    if (this.leafCount === 0) return emptyMerkleRoot(this.algorithm);
    return this.levels[this.levels.length - 1][0];
  }

  /** Inclusion proof of leaf `index`. */
  proof(index: number): MerkleProof {
    if (!Number.isInteger(index) || index < 0 || index >= this.leafCount) {
      throw new ProtocolError(`Merkle leaf index ${index} out of range`, { details: `tree has ${this.leafCount} leaves` });
    }
    const siblings: Uint8Array[] = [];
    let i = index;
    for (let d = 0; d + 1 < this.levels.length; d++) {
      const level = this.levels[d];
      const sibling = i ^ 1;
      if (sibling < level.length) siblings.push(level[sibling]);
      i >>= 1;
    }
    return { algorithm: this.algorithm, leafIndex: index, leafCount: this.leafCount, leaf: this.leaves[index], siblings };
  }
}

/** Root over a list of 32-byte leaf hashes. */
export function merkleRoot(leaves: readonly Uint8Array[], algorithm: HashAlgorithm = "sha256"): Uint8Array {
  return new MerkleTree(leaves, algorithm).root;
}

/** Number of siblings a proof for (index, count) must carry. */
export function merkleProofLength(leafIndex: number, leafCount: number): number {
  let n = 0;
  let i = leafIndex;
  for (let width = leafCount; width > 1; width = Math.ceil(width / 2)) {
    if ((i ^ 1) < width) n++;
    i >>= 1;
  }
  return n;
}

/**
 * Checks a proof against a root; throws ProtocolError naming what is wrong (bad sizes, index out
 * of range, wrong number of siblings, root mismatch). Returns nothing when the proof holds.
 */
export function verifyMerkleProof(root: Uint8Array, proof: MerkleProof): void {
  checkDigest(root, "Merkle root");
  const { leafIndex, leafCount, algorithm } = proof;
  if (!Number.isInteger(leafCount) || leafCount < 1) {
    throw new ProtocolError(`Merkle proof leafCount ${leafCount} is not a positive integer`);
  }
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= leafCount) {
    throw new ProtocolError(`Merkle proof leafIndex ${leafIndex} out of range`, { details: `leafCount is ${leafCount}` });
  }
  checkDigest(proof.leaf, "Merkle proof leaf");
  if (!Array.isArray(proof.siblings)) throw new ProtocolError("Merkle proof siblings is not an array");
  const expected = merkleProofLength(leafIndex, leafCount);
  if (proof.siblings.length !== expected) {
    throw new ProtocolError(`Merkle proof has ${proof.siblings.length} siblings, expected ${expected}`, {
      details: `leaf ${leafIndex} of ${leafCount}`,
    });
  }
  proof.siblings.forEach((s, k) => checkDigest(s, `Merkle proof sibling ${k}`));
  let node = leafNode(proof.leaf, algorithm);
  let i = leafIndex;
  let k = 0;
  for (let width = leafCount; width > 1; width = Math.ceil(width / 2)) {
    if ((i ^ 1) < width) {
      node = i & 1 ? innerNode(proof.siblings[k], node, algorithm) : innerNode(node, proof.siblings[k], algorithm);
      k++;
    }
    i >>= 1;
  }
  if (!hashEqual(node, root)) {
    throw new ProtocolError(`Merkle proof for leaf ${leafIndex} of ${leafCount} does not reach the root`, {
      details: `computed 0x${toHex(node)}, committed 0x${toHex(root)}`,
    });
  }
}

/** verifyMerkleProof as a boolean (any ProtocolError -> false). */
export function isValidMerkleProof(root: Uint8Array, proof: MerkleProof): boolean {
  try {
    verifyMerkleProof(root, proof);
    return true;
  } catch (e) {
    if (e instanceof ProtocolError) return false;
    throw e;
  }
}
