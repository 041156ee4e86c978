// The hashes a party really holds, in the DisputeGame contract's positions (REFERENCE §3, §4):
// what each on-chain bisection move carries and what the referee's ruling carries.
//
// Positions of the contract's two phases, for a job of T steps whose step graph has G nodes:
// - Steps phase, position s in 0..T: the party's state hash after s steps (stateHash of its own
//   state tensors: the same leaf its Verde commitment holds). Position T is the committed result.
// - Graph phase of step s (the transition s -> s+1), position p in 0..G: position 0 is the agreed
//   state hash at s, position G the state hash at s+1 (both carried over from the Steps phase),
//   and 0 < p < G the prefix commitment P_p = H(P_{p-1} || hash(output of node p-1)), P_0 being
//   the state hash at s. A prefix commitment changes from the first node whose output differs on,
//   so the contract's bisection (agree at mid -> lo = mid) ends with node = lo = the first node
//   whose output differs while every earlier output, hence every input, agrees: Verde's phase-2
//   node. The referee recomputes that ONE op from inputs proven against the agreed P_lo.
import { ProtocolError } from "../errors.ts";
import type { Bytes32 } from "../ledger/ledger.ts";
import { fromHex, hashConcat, hashEqual, hashTensor, toHex } from "../ml/hash.ts";
import { stateHash, type VerifiableProgram } from "../verde/program.ts";
import type { Solver } from "../verde/solver.ts";

export function hex32(bytes: Uint8Array): Bytes32 {
  return `0x${toHex(bytes)}` as Bytes32;
}

/** P_p from P_{p-1} and the hash of node p-1's output. */
export function prefixNext(prev: Uint8Array, nodeHash: Uint8Array): Uint8Array {
  return hashConcat([prev, nodeHash]);
}

interface StepTraceHashes {
  /** hash(output of node k) for every node of the step, as this party computed it. */
  nodeHashes: Uint8Array[];
  /** Prefix commitments P_0..P_{G-1}. */
  prefixes: Uint8Array[];
  outputs: readonly Float32Array[];
  stateIn: Uint8Array;
  stateOut: Uint8Array;
}

/**
 * One party's view of its own trace for the contract: state hashes per step and prefix
 * commitments per graph node, computed from the party's real (possibly tampered) execution.
 * Answers are cached: a party computes each step's trace once, as a real provider would keep it.
 */
export class ChainTrace {
  private readonly stateHashes = new Map<number, Uint8Array>();
  private readonly traces = new Map<number, StepTraceHashes>();
  /** Steps this party re-ran to answer (FLOPs for its compute time). */
  answerFlops = 0;

  constructor(readonly solver: Solver) {}

  get program(): VerifiableProgram<any> {
    return this.solver.program;
  }

  /** The party's state hash after `s` steps. */
  stateHashAt(s: number): Uint8Array {
    let h = this.stateHashes.get(s) ?? this.solver.checkpointHashes.get(s);
    if (h === undefined) {
      const before = this.solver.answerFlops;
      h = stateHash(this.program.stateTensors(this.solver.stateAt(s)));
      this.answerFlops += this.solver.answerFlops - before;
    }
    this.stateHashes.set(s, h);
    return h;
  }

  private stepTrace(step: number): StepTraceHashes {
    const cached = this.traces.get(step);
    if (cached) return cached;
    const p = this.program;
    const before = this.solver.answerFlops;
    const state = this.solver.stateAt(step);
    this.answerFlops += this.solver.answerFlops - before + p.stepFlops(step);
    const trace = p.traceStep(state, step, this.solver.behaviour.tamper?.(step));
    const nodeHashes = trace.outputs.map((t) => hashTensor(t));
    const stateIn = stateHash(p.stateTensors(state));
    const prefixes = [stateIn];
    for (let k = 0; k + 1 < nodeHashes.length; k++) prefixes.push(prefixNext(prefixes[k], nodeHashes[k]));
    const t = { nodeHashes, prefixes, outputs: trace.outputs, stateIn, stateOut: stateHash(p.stateTensors(trace.next)) };
    this.traces.set(step, t);
    return t;
  }

  /** The claim for position `position` of the Steps phase. */
  stepClaim(position: number): Bytes32 {
    return hex32(this.stateHashAt(position));
  }

  /** The claim for position `position` of step `step`'s Graph phase (0..G). */
  graphClaim(step: number, position: number): Bytes32 {
    const G = this.program.graph(step).nodes.length;
    if (position === 0) return hex32(this.stateHashAt(step));
    if (position === G) return hex32(this.stateHashAt(step + 1));
    if (!Number.isInteger(position) || position < 0 || position > G) throw new ProtocolError(`graph claim: position ${position} outside 0..${G} of step ${step}`);
    return hex32(this.stepTrace(step).prefixes[position]);
  }

  /**
   * What the referee asks for to recompute `node` of `step`: the hashes of nodes 0..node-1 (to
   * re-derive the agreed prefix P_node) and the tensors of the node's inputs (and, for the last
   * node, of the other state outputs).
   */
  evidence(step: number, node: number): RefereeEvidence {
    const t = this.stepTrace(step);
    const g = this.program.graph(step);
    const needed = new Set<number>(g.nodes[node].inputs);
    if (node === g.nodes.length - 1) for (const n of g.stateOut) if (n !== node) needed.add(n);
    return {
      stateIn: t.stateIn,
      nodeHashes: t.nodeHashes.slice(0, node),
      tensors: new Map([...needed].sort((a, b) => a - b).map((j) => [j, t.outputs[j]])),
    };
  }
}

export interface RefereeEvidence {
  /** The agreed state hash at the step (P_0). */
  stateIn: Uint8Array;
  /** hash(output of node k) for k < node. */
  nodeHashes: Uint8Array[];
  /** Output tensors of the nodes the recomputation reads, by node index. */
  tensors: Map<number, Float32Array>;
}

export interface RefereeRuling {
  /** The correct hash for position node + 1 of the graph phase. */
  hash: Bytes32;
  /** The one op recomputed, its FLOPs, and the recomputed output's hash. */
  node: { index: number; id: string; op: string };
  flops: number;
  outputHash: Bytes32;
  /** Which evidence offer was accepted (index into the offers). */
  accepted: number;
}

/** Why an evidence offer does not prove the agreed inputs; null when it does. */
export function checkEvidence(program: VerifiableProgram<any>, step: number, node: number, agreed: Uint8Array, e: RefereeEvidence): string | null {
  const g = program.graph(step);
  if (e.nodeHashes.length !== node) return `expected ${node} node hashes, got ${e.nodeHashes.length}`;
  let prefix = e.stateIn;
  for (const h of e.nodeHashes) prefix = prefixNext(prefix, h);
  if (!hashEqual(prefix, agreed)) return `the node hashes do not chain to the agreed claim at position ${node}`;
  for (const [j, t] of e.tensors) {
    if (j >= node) return `tensor of node ${j} is not before node ${node}`;
    if (!hashEqual(hashTensor(t), e.nodeHashes[j])) return `tensor of node ${j} does not hash to its committed node hash`;
  }
  for (const j of g.nodes[node].inputs) if (!e.tensors.has(j)) return `input node ${j} missing`;
  return null;
}

/**
 * The referee's ruling for the graph phase of `step` ending at lo = `node` (REFERENCE §3): takes the
 * first evidence offer that proves the agreed inputs against `agreed` (the claim both parties
 * posted for position `node`, or the agreed state hash when node = 0), recomputes that ONE op on
 * the reproducible backend (program.recomputeNode), and returns the correct hash for node + 1.
 */
export function refereeRuling(program: VerifiableProgram<any>, step: number, node: number, agreed: Bytes32, offers: readonly RefereeEvidence[]): RefereeRuling {
  const g = program.graph(step);
  const spec = g.nodes[node];
  if (!spec) throw new ProtocolError(`referee: step ${step} has no node ${node}`);
  const agreedBytes = fromHex(agreed);
  const problems: string[] = [];
  for (let k = 0; k < offers.length; k++) {
    const e = offers[k];
    const why = checkEvidence(program, step, node, agreedBytes, e);
    if (why !== null) {
      problems.push(why);
      continue;
    }
    const out = spec.op === "state" ? e.tensors.get(node)! : program.recomputeNode(step, node, spec.inputs.map((j) => e.tensors.get(j)!));
    const outHash = hashTensor(out);
    let correct: Uint8Array;
    if (node === g.nodes.length - 1) {
      const tensors = g.stateOut.map((n) => (n === node ? out : e.tensors.get(n)!));
      correct = stateHash(tensors);
    } else {
      let prefix = e.stateIn;
      for (const h of e.nodeHashes) prefix = prefixNext(prefix, h);
      correct = prefixNext(prefix, outHash);
    }
    return { hash: hex32(correct), node: { index: node, id: spec.id, op: spec.op }, flops: spec.flops, outputHash: hex32(outHash), accepted: k };
  }
  throw new ProtocolError(`referee: no party proved the inputs of node ${node} (${spec.id}) of step ${step}: ${problems.join("; ")}`);
}
