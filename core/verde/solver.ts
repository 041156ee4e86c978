// The provider side of a Verde job: trains the program (honestly or as a Behaviour says), posts
// a commitment, and answers the referee's requests (REFERENCE §1, §3). Adversaries in
// core/agents are Behaviours plugged into this one class.
import { ConfigError } from "../errors.ts";
import { hashTensor } from "../ml/hash.ts";
import { MerkleTree } from "../ml/merkle.ts";
import { MerkleLevels } from "./merkleDescent.ts";
import type { Commitment, DisputeRequest, DisputeResponse, GapCommit, NodeInputs, TraceCommit } from "./messages.ts";
import { stateHash, tensorHashes, type NodeTamper, type VerifiableProgram } from "./program.ts";

/** Returned by a Behaviour that does not answer (stalling). */
export const NO_ANSWER: unique symbol = Symbol("no answer");

/** How a provider deviates from the protocol; every hook is optional (all absent = honest). */
export interface Behaviour {
  readonly kind: string;
  /** True when this behaviour never lies about results (honest, even on another backend). */
  readonly honest: boolean;
  /** Alters nodes of step i while training and when tracing it (wrong step, wrong op, lazy). */
  tamper?(step: number): NodeTamper | undefined;
  /** Alters or withholds an answer; gets the honest-to-itself answer and this provider's answer count (1-based). */
  answer?(request: DisputeRequest, own: DisputeResponse, round: number): DisputeResponse | typeof NO_ANSWER | unknown;
  /** Extra delay in microseconds before answering (slow or late parties); same round count as answer(). */
  delayUs?(request: DisputeRequest, round: number): number;
  /**
   * On-chain DisputeGame moves (core/protocol/chainDispute.ts): extra delay in microseconds before
   * this provider's `move`-th claim (1-based), or NO_ANSWER when it never makes it.
   */
  chainDelayUs?(move: number): number | typeof NO_ANSWER;
}

export const HONEST: Behaviour = { kind: "honest", honest: true };

export interface SolverOptions {
  /** Provider id (the world node that runs it). */
  id: string;
  program: VerifiableProgram<any>;
  behaviour?: Behaviour;
  /** Commitment interval k: a checkpoint hash every k steps (REFERENCE §3). */
  interval?: number;
  /** Keep a full state every this many steps to re-run from (memory vs recompute). */
  keepEvery?: number;
}

export class Solver {
  readonly id: string;
  readonly program: VerifiableProgram<any>;
  readonly behaviour: Behaviour;
  readonly interval: number;
  private readonly keepEvery: number;
  private readonly kept = new Map<number, unknown>();
  /** State hashes at the checkpoints (every `interval` steps, and T), as this provider computed them. */
  readonly checkpointHashes = new Map<number, Uint8Array>();
  private checkpoints!: MerkleLevels;
  private checkpointTree!: MerkleTree;
  private gapTree: { from: number; levels: MerkleLevels } | null = null;
  private traceTree: { step: number; levels: MerkleLevels; tree: MerkleTree; outputs: readonly Float32Array[] } | null = null;
  /** Requests answered so far (over every dispute this provider took part in). */
  answered = 0;
  /** FLOPs this provider spent on training and on answering. */
  trainFlops = 0;
  answerFlops = 0;
  /** The state train() ended with: the result this provider reports (tampered if it lies). */
  finalState: unknown = undefined;
  /** The commitment train() posted (null before training). */
  lastCommitment: Commitment | null = null;

  constructor(options: SolverOptions) {
    this.id = options.id;
    this.program = options.program;
    this.behaviour = options.behaviour ?? HONEST;
    this.interval = options.interval ?? 1;
    this.keepEvery = options.keepEvery ?? 16;
    if (!Number.isSafeInteger(this.interval) || this.interval < 1) throw new ConfigError(`Solver ${this.id}: interval must be a positive integer, got ${this.interval}`);
  }

  /** Runs the whole job; returns the commitment to post. */
  train(): Commitment {
    const p = this.program;
    let state = p.initialState();
    this.kept.set(0, state);
    this.checkpointHashes.set(0, stateHash(p.stateTensors(state)));
    for (let i = 0; i < p.steps; i++) {
      state = this.advance(state, i);
      this.trainFlops += p.stepFlops(i);
      const s = i + 1;
      if (s % this.keepEvery === 0) this.kept.set(s, state);
      if (s % this.interval === 0 || s === p.steps) this.checkpointHashes.set(s, stateHash(p.stateTensors(state)));
    }
    this.finalState = state;
    return this.commit();
  }

  /** Checkpoint steps 0, k, 2k, ..., T. */
  static checkpointSteps(steps: number, interval: number): number[] {
    const out: number[] = [];
    for (let s = 0; s < steps; s += interval) out.push(s);
    out.push(steps);
    return out;
  }

  private commit(): Commitment {
    const leaves = Solver.checkpointSteps(this.program.steps, this.interval).map((s) => this.checkpointHashes.get(s)!);
    this.checkpoints = new MerkleLevels(leaves);
    const tree = (this.checkpointTree = new MerkleTree(leaves));
    return (this.lastCommitment = {
      root: this.checkpoints.root,
      leafCount: leaves.length,
      interval: this.interval,
      result: leaves[leaves.length - 1],
      resultProof: tree.proof(leaves.length - 1),
    });
  }

  private advance(state: unknown, i: number): unknown {
    const tamper = this.behaviour.tamper?.(i);
    return tamper ? this.program.traceStep(state, i, tamper).next : this.program.step(state, i);
  }

  /** This provider's state at step s, re-run from the nearest kept state. */
  stateAt(s: number): unknown {
    let from = s - (s % this.keepEvery);
    while (!this.kept.has(from)) from -= this.keepEvery;
    let state = this.kept.get(from);
    for (let i = from; i < s; i++) {
      state = this.advance(state, i);
      this.answerFlops += this.program.stepFlops(i);
    }
    return state;
  }

  /** FLOPs needed to answer a request (re-running steps), for its virtual compute time. */
  requestFlops(req: DisputeRequest): number {
    const p = this.program;
    if (req.kind === "gap") return (req.to - req.from) * p.stepFlops(req.from);
    if (req.kind === "trace") return ((req.step % this.keepEvery) + 1) * p.stepFlops(req.step);
    return 0;
  }

  /** Answer one request; a Behaviour may alter it or withhold it (NO_ANSWER). */
  respond(req: DisputeRequest): unknown {
    this.answered++;
    const own = this.honestAnswer(req);
    return this.behaviour.answer ? this.behaviour.answer(req, own, this.answered) : own;
  }

  /** The answer consistent with what this provider computed (honest to itself). */
  honestAnswer(req: DisputeRequest): DisputeResponse {
    switch (req.kind) {
      case "children": {
        const levels = req.tree === "steps" ? this.checkpoints : req.tree === "gap" ? this.gapTree?.levels : this.traceTree?.levels;
        if (!levels) throw new ConfigError(`Solver ${this.id}: asked for ${req.tree} children before committing to that tree`);
        return levels.reveal(req.level, req.index);
      }
      case "gap":
        return this.gapCommit(req.from, req.to, req.checkpoint);
      case "trace":
        return this.traceCommit(req.step, req.anchorTree, req.anchor);
      case "inputs":
        return this.nodeInputs(req.step, req.node);
    }
  }

  private gapCommit(from: number, to: number, checkpoint: number): GapCommit {
    // Only checkpoints were hashed while training: re-run the gap, hashing every state (REFERENCE §3).
    let state = this.stateAt(from);
    const leaves = [stateHash(this.program.stateTensors(state))];
    for (let i = from; i < to; i++) {
      state = this.advance(state, i);
      this.answerFlops += this.program.stepFlops(i);
      leaves.push(stateHash(this.program.stateTensors(state)));
    }
    const levels = new MerkleLevels(leaves);
    this.gapTree = { from, levels };
    const tree = new MerkleTree(leaves);
    return {
      root: levels.root,
      leafCount: leaves.length,
      first: tree.proof(0),
      last: tree.proof(leaves.length - 1),
      anchor: this.checkpointProof(checkpoint - 1),
    };
  }

  private checkpointProof(leaf: number) {
    return this.checkpointTree.proof(leaf);
  }

  private traceCommit(step: number, anchorTree: "steps" | "gap" | "trace", anchor: number): TraceCommit {
    const p = this.program;
    const state = this.stateAt(step);
    const trace = p.traceStep(state, step, this.behaviour.tamper?.(step));
    this.answerFlops += p.stepFlops(step);
    const leaves = trace.outputs.map((t) => hashTensor(t));
    const tree = new MerkleTree(leaves);
    this.traceTree = { step, levels: new MerkleLevels(leaves), tree, outputs: trace.outputs };
    const g = p.graph(step);
    const anchorProof = anchorTree === "gap" ? new MerkleTree(this.gapTree!.levels.leaves).proof(anchor) : this.checkpointProof(anchor);
    return {
      root: tree.root,
      nodeCount: leaves.length,
      stateIn: tensorHashes(p.stateTensors(state)),
      stateOut: tensorHashes(p.stateTensors(trace.next)),
      inProofs: g.stateIn.map((n) => tree.proof(n)),
      outProofs: g.stateOut.map((n) => tree.proof(n)),
      anchor: anchorProof,
    };
  }

  private nodeInputs(step: number, node: number): NodeInputs {
    const t = this.traceTree;
    if (!t || t.step !== step) throw new ConfigError(`Solver ${this.id}: asked for inputs of step ${step} before tracing it`);
    const spec = this.program.graph(step).nodes[node];
    return { tensors: spec.inputs.map((j) => t.outputs[j]), proofs: spec.inputs.map((j) => t.tree.proof(j)) };
  }
}
