// VerifiableProgram: the small interface any training workload satisfies so that Verde can
// commit to it, bisect its steps and its per-step graph, and recompute one node (REFERENCE §3).
//
// How a workload makes its jobs disputable:
// - With an ML-ENGINE step graph (buildTrainStep(model, optimizer)): wrap it in GraphProgram
//   (./graphProgram.ts) with the initial parameters and a batch(i) that regenerates step i's data
//   from the step index alone (a stream per step, not one stream read in sequence).
//   ./proxyTaskJob.ts does this for TRAINING's proxy task and worker shards; ./mlpJob.ts for a
//   Gaussian-mixture job.
// - Otherwise implement this interface: a state of float32 tensors, step() and traceStep() giving
//   bit-identical results, a StepGraph naming every node (topological order, inputs by index,
//   state tensors in and out), and recomputeNode() evaluating one node on a reproducible backend.
// Then replicate a job with replicatedJob() (./replicatedJob.ts), or run one dispute with
// disputeGame() and act on its DisputeOutcome (./disputeOutcome.ts): winner, losers, reason.
import { hashTensor, type HashAlgorithm } from "../ml/hash.ts";
import { merkleRoot } from "../ml/merkle.ts";

/** One node of a step's computational graph, in topological order (index = position). */
export interface StepNode {
  /** Topological index inside the step graph (also the Merkle leaf index of its output). */
  readonly index: number;
  /** Readable id, e.g. "fwd/matmul:h1" or "adamw:W1". */
  readonly id: string;
  readonly op: string;
  /** Indices of the nodes whose outputs feed this one (all smaller than `index`). */
  readonly inputs: readonly number[];
  /** Number of float32 elements in the output. */
  readonly size: number;
  /** Floating-point operations to compute this node once. */
  readonly flops: number;
}

/**
 * The graph of one step: forward, backward and optimizer nodes in one numbering.
 * `stateIn[k]` is the node holding state tensor k before the step (an input node);
 * `stateOut[k]` is the node producing state tensor k after the step.
 */
export interface StepGraph {
  readonly nodes: readonly StepNode[];
  readonly stateIn: readonly number[];
  readonly stateOut: readonly number[];
  /** Index of the first node of the backward pass, when the program knows it. */
  readonly backwardFrom?: number;
  /** How many leading state tensors are model parameters (the rest: optimizer state), when known. */
  readonly paramCount?: number;
}

/**
 * Replaces a node's output while a step is traced: adversaries lie through this hook.
 * Gets the output computed from the node's (possibly already tampered) inputs; returns the output to use.
 */
export type NodeTamper = (
  node: StepNode,
  honest: Float32Array,
  inputs: readonly Float32Array[],
  /** Outputs of all earlier nodes (index < node.index) as this run computed them. */
  outputs: readonly Float32Array[],
) => Float32Array;

/** The full record of one traced step: every node's output and the resulting state. */
export interface StepTrace<S> {
  readonly outputs: readonly Float32Array[];
  readonly next: S;
}

export interface VerifiableProgram<S = unknown> {
  /** What is being trained, for traces and reports (e.g. "mlp-2x16/repops"). */
  readonly name: string;
  /** Backend executing step() and traceStep() ("repops", "tfjs-cpu", ...). */
  readonly backend: string;
  /** Number of training steps T; states are numbered 0..T. */
  readonly steps: number;
  initialState(): S;
  /** One training step (fast path, no recording); bit-identical to traceStep(state, i).next. */
  step(state: S, i: number): S;
  /** One training step recording every node's output; `tamper` lets an adversary alter nodes. */
  traceStep(state: S, i: number, tamper?: NodeTamper): StepTrace<S>;
  /** The graph of step i (usually the same for every step). */
  graph(i: number): StepGraph;
  /** The state's tensors in the canonical order that stateIn/stateOut index. */
  stateTensors(state: S): readonly Float32Array[];
  /**
   * Recomputes ONE node of step i from its input tensors on the reproducible backend (repops):
   * what the referee runs. Nodes without inputs (data, hyperparameters) are regenerated from the
   * program and the step index.
   */
  recomputeNode(i: number, node: number, inputs: readonly Float32Array[]): Float32Array;
  /** FLOPs of one full step (forward + backward + update). */
  stepFlops(i: number): number;
}

/** Hash of a state: Merkle root over its tensors' hashes in canonical order (DESIGN Verification). */
export function stateHash(tensors: readonly Float32Array[], algorithm: HashAlgorithm = "sha256"): Uint8Array {
  return merkleRoot(tensorHashes(tensors, algorithm), algorithm);
}

export function tensorHashes(tensors: readonly Float32Array[], algorithm: HashAlgorithm = "sha256"): Uint8Array[] {
  return tensors.map((t) => hashTensor(t, algorithm));
}

/** FLOPs of a whole run: the full re-execution a referee avoids. */
export function runFlops(program: VerifiableProgram<any>): number {
  let total = 0;
  for (let i = 0; i < program.steps; i++) total += program.stepFlops(i);
  return total;
}
