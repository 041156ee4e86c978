// Validation of protocol messages for the referee: every malformed or inconsistent answer becomes
// a Rejection with a reason and a clear detail, never an exception that escapes (REFERENCE §3).
import { HASH_BYTES, toHex } from "../ml/hash.ts";
import { verifyMerkleProof, type MerkleProof } from "../ml/merkle.ts";
import type { RulingReason } from "./referee.ts";

export class Rejection {
  constructor(readonly reason: RulingReason, readonly detail: string) {}
}

export const isDigest = (x: unknown): x is Uint8Array => x instanceof Uint8Array && x.length === HASH_BYTES;
export const short = (h: Uint8Array) => `0x${toHex(h).slice(0, 16)}..`;

export function digest(x: unknown, what: string): Uint8Array {
  if (!isDigest(x)) {
    throw new Rejection("malformed", `${what} must be a ${HASH_BYTES}-byte hash, got ${x instanceof Uint8Array ? `${x.length} bytes` : typeof x}`);
  }
  return x;
}

export function object(x: unknown, what: string): Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw new Rejection("malformed", `${what} is not an object`);
  return x as Record<string, unknown>;
}

export function list(x: unknown, length: number, what: string): unknown[] {
  if (!Array.isArray(x)) throw new Rejection("malformed", `${what} is not a list`);
  if (x.length !== length) throw new Rejection("malformed", `${what} has ${x.length} entries, expected ${length}`);
  return x;
}

/** Checks a proof of leaf `index` of `count` under `root`; returns the proven leaf hash. */
export function proven(proof: unknown, root: Uint8Array, index: number, count: number, what: string): Uint8Array {
  const p = object(proof, what) as unknown as MerkleProof;
  if (p.leafIndex !== index || p.leafCount !== count) {
    throw new Rejection("malformed", `${what} is for leaf ${String(p.leafIndex)} of ${String(p.leafCount)}, expected leaf ${index} of ${count}`);
  }
  if (p.algorithm !== "sha256") throw new Rejection("malformed", `${what} uses hash ${String(p.algorithm)}, expected sha256`);
  digest(p.leaf, `${what} leaf`);
  try {
    verifyMerkleProof(root, p);
  } catch (e) {
    throw new Rejection("bad-proof", `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return p.leaf;
}
