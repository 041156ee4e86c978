// Bisection by descending two parties' Merkle trees: each round both reveal the children of the
// node where they last disagreed; the referee checks the children hash to that node and moves to
// the leftmost child that differs. It ends at the first differing leaf, every leaf left of it
// lying in subtrees both agreed on (Verde phases 1 and 2, REFERENCE §3). The tree is built by
// core/ml/merkle.ts (tags 0x00 leaf, 0x01 inner, odd last node promoted), so the roots agree.
import { HASH_BYTES, hashEqual, toHex, type HashAlgorithm } from "../ml/hash.ts";
import { innerNode, leafNode, merkleLevels } from "../ml/merkle.ts";

export const leafNodeHash: (leaf: Uint8Array, algorithm: HashAlgorithm) => Uint8Array = leafNode;
export const innerNodeHash: (left: Uint8Array, right: Uint8Array, algorithm: HashAlgorithm) => Uint8Array = innerNode;

/** Number of levels above the leaves: ceil(log2 n) (0 for one leaf). */
export function treeHeight(leafCount: number): number {
  let h = 0;
  for (let w = leafCount; w > 1; w = Math.ceil(w / 2)) h++;
  return h;
}

/** Nodes on `level` of a tree with `leafCount` leaves. */
export function levelWidth(leafCount: number, level: number): number {
  let w = leafCount;
  for (let l = 0; l < level; l++) w = Math.ceil(w / 2);
  return w;
}

/** All levels of a tree: levels[0] tagged leaves ... levels[height] = [root]. What a party keeps. */
export class MerkleLevels {
  readonly leaves: readonly Uint8Array[];
  readonly levels: Uint8Array[][];
  readonly algorithm: HashAlgorithm;

  constructor(leaves: readonly Uint8Array[], algorithm: HashAlgorithm = "sha256") {
    this.leaves = leaves;
    this.algorithm = algorithm;
    this.levels = merkleLevels(leaves, algorithm);
  }

  get root(): Uint8Array {
    return this.levels[this.levels.length - 1][0];
  }

  /** What an honest party reveals for node (level, index): raw leaves on level 1 (and 0), inner nodes above. */
  reveal(level: number, index: number): ChildReveal {
    if (level === 0) return { left: this.leaves[index] };
    const below = level === 1 ? this.leaves : this.levels[level - 1];
    const l = 2 * index;
    return l + 1 < below.length ? { left: below[l], right: below[l + 1] } : { left: below[l] };
  }
}

/** A party's answer to "show the children of node (level, index)". */
export interface ChildReveal {
  left: Uint8Array;
  right?: Uint8Array;
}

/** Where the descent stands; `query` is the node whose children both must reveal next. */
export interface DescentQuery {
  level: number;
  index: number;
}

function isDigest(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array && x.length === HASH_BYTES;
}

/** The referee's side of one descent between parties A and B. */
export class MerkleDescent {
  readonly leafCount: number;
  readonly algorithm: HashAlgorithm;
  level: number;
  index = 0;
  /** The two parties' hashes of the current node. */
  nodes: [Uint8Array, Uint8Array];
  /** Set when the descent reached a leaf: its index and both parties' raw leaves. */
  leaf: { index: number; a: Uint8Array; b: Uint8Array } | null = null;
  rounds = 0;

  constructor(leafCount: number, rootA: Uint8Array, rootB: Uint8Array, algorithm: HashAlgorithm = "sha256") {
    this.leafCount = leafCount;
    this.algorithm = algorithm;
    this.level = treeHeight(leafCount);
    this.nodes = [rootA, rootB];
    this.skipPromoted();
  }

  /** The node to open next, or null once a leaf is reached. */
  get query(): DescentQuery | null {
    return this.leaf ? null : { level: this.level, index: this.index };
  }

  /** Levels >= 2 whose node has one child: the child has the same hash, no round needed. */
  private skipPromoted(): void {
    while (this.level >= 2 && 2 * this.index + 1 >= levelWidth(this.leafCount, this.level - 1)) {
      this.level--;
      this.index *= 2;
    }
  }

  /**
   * Checks one party's reveal against its node hash; returns a reason when it is malformed or
   * inconsistent with what that party committed, null when it holds.
   */
  check(party: 0 | 1, reveal: unknown): string | null {
    const { level, index } = this;
    const r = reveal as ChildReveal | null;
    if (r === null || typeof r !== "object") return `reveal of node (${level},${index}) is not an object`;
    const twoChildren = level >= 1 && 2 * index + 1 < levelWidth(this.leafCount, level - 1);
    if (!isDigest(r.left)) return `left child of node (${level},${index}) must be a ${HASH_BYTES}-byte hash, got ${describe(r.left)}`;
    if (twoChildren && !isDigest(r.right)) return `right child of node (${level},${index}) must be a ${HASH_BYTES}-byte hash, got ${describe(r.right)}`;
    if (!twoChildren && r.right !== undefined) return `node (${level},${index}) has one child, got two`;
    const alg = this.algorithm;
    let node: Uint8Array;
    if (level <= 1) {
      const left = leafNodeHash(r.left, alg);
      node = twoChildren ? innerNodeHash(left, leafNodeHash(r.right!, alg), alg) : left;
    } else node = innerNodeHash(r.left, r.right!, alg);
    if (!hashEqual(node, this.nodes[party])) {
      return `revealed children of node (${level},${index}) hash to 0x${toHex(node).slice(0, 16)}.., not the committed 0x${toHex(this.nodes[party]).slice(0, 16)}..`;
    }
    return null;
  }

  /** Moves down after both reveals passed check(): to the leftmost child where they differ. */
  advance(a: ChildReveal, b: ChildReveal): void {
    this.rounds++;
    const goLeft = !hashEqual(a.left, b.left) || a.right === undefined;
    if (this.level <= 1) {
      const index = this.level === 0 ? this.index : 2 * this.index + (goLeft ? 0 : 1);
      this.leaf = goLeft ? { index, a: a.left, b: b.left } : { index, a: a.right!, b: b.right! };
      return;
    }
    this.nodes = goLeft ? [a.left, b.left] : [a.right!, b.right!];
    this.level--;
    this.index = 2 * this.index + (goLeft ? 0 : 1);
    this.skipPromoted();
  }
}

function describe(x: unknown): string {
  if (x instanceof Uint8Array) return `${x.length} bytes`;
  if (x === undefined) return "nothing";
  return typeof x;
}
