// Verde protocol messages between the referee and the providers (REFERENCE §3): what is asked,
// what is answered, and how many bytes each takes on the wire.
import type { MerkleProof } from "../ml/merkle.ts";
import type { ChildReveal } from "./merkleDescent.ts";

/** What a provider posts when it finishes a job (REFERENCE §1): a Merkle root over checkpoint state hashes. */
export interface Commitment {
  /** Root over the state hashes at steps 0, k, 2k, ..., T (the last one may be T when k does not divide T). */
  root: Uint8Array;
  leafCount: number;
  /** Commitment interval k in steps. */
  interval: number;
  /** Hash of the final state (the job's result). */
  result: Uint8Array;
  /** Proof that `result` is the last leaf under `root`. */
  resultProof: MerkleProof;
}

/** Which tree a descent runs over: the posted checkpoints, the steps inside one gap, or one step's graph. */
export type TreeName = "steps" | "gap" | "trace";

export type DisputeRequest =
  | { kind: "children"; tree: TreeName; level: number; index: number }
  /** Commit to every state from step `from` to `to` (one gap between checkpoints). */
  | { kind: "gap"; from: number; to: number; checkpoint: number }
  /** Re-run step `step` (state step -> step+1), hashing every graph node. */
  | { kind: "trace"; step: number; anchorTree: TreeName; anchor: number }
  /** Reveal the input tensors of one node of the traced step. */
  | { kind: "inputs"; step: number; node: number };

/** Answer to a gap request: root over the states from..to and proofs tying it to the checkpoints. */
export interface GapCommit {
  root: Uint8Array;
  leafCount: number;
  /** Leaf 0 (state `from`) under `root`. */
  first: MerkleProof;
  /** Last leaf (state `to`) under `root`. */
  last: MerkleProof;
  /** Checkpoint leaf of state `from` under the posted commitment root (the agreed anchor). */
  anchor: MerkleProof;
}

/** Answer to a trace request: root over per-node output hashes, bound to the states before and after. */
export interface TraceCommit {
  root: Uint8Array;
  nodeCount: number;
  /** Per-tensor hashes of the state before the step (their root is the agreed state hash). */
  stateIn: Uint8Array[];
  /** Per-tensor hashes of the state after the step (their root is the party's next state hash). */
  stateOut: Uint8Array[];
  /** Proofs of stateIn[k] at node graph.stateIn[k] and stateOut[k] at graph.stateOut[k] under `root`. */
  inProofs: MerkleProof[];
  outProofs: MerkleProof[];
  /** The agreed state hash before the step, proven under the tree the previous descent ran over. */
  anchor: MerkleProof;
}

/** Answer to an inputs request: the node's input tensors with proofs of their output hashes under the trace root. */
export interface NodeInputs {
  tensors: Float32Array[];
  proofs: MerkleProof[];
}

export type DisputeResponse = ChildReveal | GapCommit | TraceCommit | NodeInputs;

const HASH = 32;
const proofBytes = (p: MerkleProof | undefined) => (p && Array.isArray(p.siblings) ? HASH * (p.siblings.length + 1) + 12 : 0);

/** Wire size of a request (a tag and a few integers). */
export function requestBytes(req: DisputeRequest): number {
  return req.kind === "children" ? 13 : 17;
}

/** Wire size of a response; tolerant of malformed ones (they still cost the bytes they carry). */
export function responseBytes(res: unknown): number {
  if (res === null || typeof res !== "object") return 1;
  const r = res as Record<string, unknown>;
  let bytes = 4;
  for (const v of Object.values(r)) {
    if (v instanceof Uint8Array || v instanceof Float32Array) bytes += v.byteLength;
    else if (typeof v === "number") bytes += 4;
    else if (Array.isArray(v)) for (const item of v) bytes += item instanceof Float32Array || item instanceof Uint8Array ? item.byteLength + 4 : proofBytes(item as MerkleProof);
    else if (v && typeof v === "object") bytes += proofBytes(v as MerkleProof);
  }
  return bytes;
}

/** Wire size of a posted commitment. */
export function commitmentBytes(c: Commitment): number {
  return 2 * HASH + 8 + proofBytes(c.resultProof);
}
