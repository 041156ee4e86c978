// Synthetic Verde traces for market jobs: the hash a party holds for the state after each step
// and for each graph node of one step. An honest party holds the true hashes; a faulty one
// deviates from its fault on (first wrong step, first wrong node of that step) and stays wrong
// after it, as a real wrong computation would (REFERENCE §3: bisection finds the first
// disagreeing step, then the first disagreeing node, and the referee recomputes that one op).
import { hashBytes, toHex } from "../ml/hash.ts";
import type { Bytes32 } from "../ledger/ledger.ts";

/** Where a faulty party first goes wrong: state `step` (1..steps) is the first wrong state; in
 * the transition step-1 -> step, graph node `node` (1..graphNodes) is the first wrong output. */
export interface Fault {
  step: number;
  node: number;
  /** Distinguishes two faulty parties (their wrong hashes differ). */
  tag: string;
}

const encoder = new TextEncoder();

function h(text: string): Bytes32 {
  return `0x${toHex(hashBytes(encoder.encode(text), "keccak256"))}` as Bytes32;
}

export class TraceModel {
  constructor(
    /** The job's spec hash: every trace hash is derived from it. */
    readonly specHash: Bytes32,
    readonly steps: number,
    readonly graphNodes: number,
  ) {}

  /** State after `step` steps (0 = the job's initial state, agreed by everyone). */
  stateHash(step: number, fault: Fault | null): Bytes32 {
    if (fault !== null && step >= fault.step) return h(`${this.specHash}|state|${step}|wrong|${fault.tag}`);
    return h(`${this.specHash}|state|${step}`);
  }

  /** The result root a party commits: its hash of the final state. */
  resultRoot(fault: Fault | null): Bytes32 {
    return this.stateHash(this.steps, fault);
  }

  /**
   * Graph phase of the transition `step` -> `step`+1: position 0 is the step's input state and
   * position graphNodes its output state (the claims carried over from the step phase).
   */
  graphHash(step: number, position: number, fault: Fault | null): Bytes32 {
    if (position === 0) return this.stateHash(step, fault);
    if (position === this.graphNodes) return this.stateHash(step + 1, fault);
    const wrong =
      fault !== null && (step + 1 > fault.step || (step + 1 === fault.step && position >= fault.node));
    return wrong
      ? h(`${this.specHash}|node|${step}|${position}|wrong|${fault!.tag}`)
      : h(`${this.specHash}|node|${step}|${position}`);
  }
}

/** A spec hash for job `index` of a run: unique per job, no randomness. */
export function jobSpecHash(runSeed: number, index: number): Bytes32 {
  return h(`job|${runSeed}|${index}`);
}
