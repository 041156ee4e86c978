// The Verde referee (REFERENCE §3): checks two providers' commitments, bisects their checkpoints
// (phase 1, then the gap between checkpoints when k > 1), bisects the disputed step's graph
// (phase 2), takes the first differing node's Merkle-proven inputs, recomputes that ONE op on the
// reproducible backend and rules. Pure: the dispute game moves its messages over the network.
import { hashEqual, hashTensor } from "../ml/hash.ts";
import { merkleRoot } from "../ml/merkle.ts";
import { MerkleDescent, type ChildReveal } from "./merkleDescent.ts";
import type { Commitment, DisputeRequest, GapCommit, NodeInputs, TraceCommit, TreeName } from "./messages.ts";
import type { StepNode, VerifiableProgram } from "./program.ts";
import { Rejection, digest, list, object, proven, short } from "./rejection.ts";
import { Solver } from "./solver.ts";

export type Party = 0 | 1;

/** Why a dispute ended the way it did. */
export type RulingReason =
  | "recomputed-op" // the referee recomputed the first differing node
  | "timeout" // a party's chess clock ran out (REFERENCE §4)
  | "malformed" // wrong lengths, hashes of the wrong size, missing fields
  | "bad-proof" // a Merkle proof that does not reach the committed root
  | "inconsistent" // a reveal contradicting the party's own earlier commitment
  | "initial-state" // the committed initial state is not the job's
  | "no-dispute"; // identical commitments

export interface Ruling {
  /** Parties that lose (and are slashed); empty for no-dispute, both when both misbehaved. */
  losers: Party[];
  reason: RulingReason;
  detail: string;
  /** The disputed step (state step -> step+1), once known. */
  step?: number;
  /** The node the referee recomputed. */
  node?: { index: number; id: string; op: string };
}

/** Marker for an answer that did not arrive before its deadline. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

export interface RefereeOptions {
  /** The program on the reproducible backend (repops): what the referee recomputes with. */
  program: VerifiableProgram<any>;
  /** Hash of the job's initial state (known to everyone from the job). */
  initialHash: Uint8Array;
  /** Commitment interval k the job asked for. */
  interval: number;
}

export class Referee {
  readonly program: VerifiableProgram<any>;
  private readonly initialHash: Uint8Array;
  private readonly checkpoints: number[];
  private readonly commits: [Commitment, Commitment] = [] as unknown as [Commitment, Commitment];
  /** The next request to send to both parties; null once ruled. */
  request: DisputeRequest | null = null;
  ruling: Ruling | null = null;
  rounds = 0;
  /** Ops the referee executed and their FLOPs: one op, if it got that far (REFERENCE §3). */
  opsExecuted = 0;
  refereeFlops = 0;
  private descent: MerkleDescent | null = null;
  private tree: TreeName = "steps";
  private gap: { from: number; to: number; checkpoint: number; roots: [Uint8Array, Uint8Array] } | null = null;
  /** The two parties' claimed hashes of the state right after the agreed one. */
  private claimedNext: [Uint8Array, Uint8Array] | null = null;
  private trace: { step: number; roots: [Uint8Array, Uint8Array]; node?: StepNode; leaves?: [Uint8Array, Uint8Array] } | null = null;
  step?: number;

  constructor(options: RefereeOptions, commitmentA: unknown, commitmentB: unknown) {
    this.program = options.program;
    this.initialHash = options.initialHash;
    this.checkpoints = Solver.checkpointSteps(options.program.steps, options.interval);
    const errs = [commitmentA, commitmentB].map((c, p) => this.guard(() => this.checkCommitment(c, options.interval, p)));
    if (this.rejectIfAny(errs)) return;
    this.commits[0] = commitmentA as Commitment;
    this.commits[1] = commitmentB as Commitment;
    if (hashEqual(this.commits[0].root, this.commits[1].root)) {
      this.rule([], "no-dispute", "both commitments have the same root");
      return;
    }
    this.startDescent("steps", this.checkpoints.length, [this.commits[0].root, this.commits[1].root]);
  }

  private checkCommitment(c: unknown, interval: number, p: number): void {
    const o = object(c, `commitment of party ${p}`);
    const root = digest(o.root, "commitment root");
    digest(o.result, "commitment result");
    if (o.interval !== interval) throw new Rejection("malformed", `commitment interval ${String(o.interval)}, the job asks for ${interval}`);
    const n = this.checkpoints.length;
    if (o.leafCount !== n) throw new Rejection("malformed", `commitment has ${String(o.leafCount)} checkpoints, expected ${n}`);
    const last = proven(o.resultProof, root, n - 1, n, "result proof");
    if (!hashEqual(last, o.result as Uint8Array)) throw new Rejection("inconsistent", "result proof proves a leaf other than the posted result");
  }

  private guard(check: () => void): Rejection | null {
    try {
      check();
      return null;
    } catch (e) {
      if (e instanceof Rejection) return e;
      return new Rejection("malformed", `message could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private rejectIfAny(errs: (Rejection | null)[]): boolean {
    const losers = ([0, 1] as Party[]).filter((p) => errs[p] !== null);
    if (losers.length === 0) return false;
    const first = errs[losers[0]]!;
    const detail = losers.map((p) => `party ${p}: ${errs[p]!.detail}`).join("; ");
    this.rule(losers, first.reason, detail);
    return true;
  }

  private rule(losers: Party[], reason: RulingReason, detail: string, node?: StepNode): void {
    this.ruling = { losers, reason, detail };
    if (this.step !== undefined) this.ruling.step = this.step;
    if (node) this.ruling.node = { index: node.index, id: node.id, op: node.op };
    this.request = null;
  }

  private startDescent(tree: TreeName, leafCount: number, roots: [Uint8Array, Uint8Array]): void {
    this.tree = tree;
    this.descent = new MerkleDescent(leafCount, roots[0], roots[1]);
    const q = this.descent.query!;
    this.request = { kind: "children", tree, level: q.level, index: q.index };
  }

  /** Takes both parties' answers to the current request (TIMED_OUT for a missed deadline). */
  receive(answers: [unknown, unknown]): void {
    const req = this.request;
    if (req === null) return;
    this.rounds++;
    // A missed deadline or a rejected answer loses; when both fail, both lose (REFERENCE §3, §4).
    const errs: (Rejection | null)[] = ([0, 1] as Party[]).map((p) =>
      answers[p] === TIMED_OUT ? new Rejection("timeout", `no answer to ${req.kind} before the deadline`) : this.guard(() => this.check(req, p, answers[p])),
    );
    if (this.rejectIfAny(errs)) return;
    this.advance(req, answers);
  }

  /** Validates one party's answer against what that party committed; throws a Rejection. */
  private check(req: DisputeRequest, p: Party, answer: unknown): void {
    switch (req.kind) {
      case "children": {
        const why = this.descent!.check(p, answer);
        if (why !== null) throw new Rejection(why.includes("not the committed") ? "inconsistent" : "malformed", why);
        return;
      }
      case "gap":
        return this.checkGap(p, answer);
      case "trace":
        return this.checkTrace(p, answer, req);
      case "inputs":
        return this.checkInputs(p, answer);
    }
  }

  private checkGap(p: Party, answer: unknown): void {
    const g = this.gap!;
    const o = object(answer, "gap commitment") as unknown as GapCommit;
    const root = digest(o.root, "gap root");
    const n = g.to - g.from + 1;
    if (o.leafCount !== n) throw new Rejection("malformed", `gap ${g.from}..${g.to} has ${String(o.leafCount)} states, expected ${n}`);
    const first = proven(o.first, root, 0, n, "gap first-state proof");
    const last = proven(o.last, root, n - 1, n, "gap last-state proof");
    const anchor = proven(o.anchor, this.commits[p].root, g.checkpoint - 1, this.checkpoints.length, "gap anchor proof");
    if (!hashEqual(first, anchor)) throw new Rejection("inconsistent", `gap starts at ${short(first)}, but checkpoint step ${g.from} was ${short(anchor)}`);
    if (!hashEqual(last, this.claimedNext![p])) throw new Rejection("inconsistent", `gap ends at ${short(last)}, but checkpoint step ${g.to} was ${short(this.claimedNext![p])}`);
  }

  private checkTrace(p: Party, answer: unknown, req: Extract<DisputeRequest, { kind: "trace" }>): void {
    const o = object(answer, "trace commitment") as unknown as TraceCommit;
    const root = digest(o.root, "trace root");
    const g = this.program.graph(req.step);
    const n = g.nodes.length;
    if (o.nodeCount !== n) throw new Rejection("malformed", `trace of step ${req.step} has ${String(o.nodeCount)} nodes, the graph has ${n}`);
    const k = g.stateIn.length;
    const ins = list(o.stateIn, k, "stateIn hashes").map((h, i) => digest(h, `stateIn hash ${i}`));
    const outs = list(o.stateOut, g.stateOut.length, "stateOut hashes").map((h, i) => digest(h, `stateOut hash ${i}`));
    list(o.inProofs, k, "stateIn proofs").forEach((pr, i) => {
      if (!hashEqual(proven(pr, root, g.stateIn[i], n, `stateIn proof ${i}`), ins[i])) throw new Rejection("inconsistent", `stateIn proof ${i} proves another hash`);
    });
    list(o.outProofs, g.stateOut.length, "stateOut proofs").forEach((pr, i) => {
      if (!hashEqual(proven(pr, root, g.stateOut[i], n, `stateOut proof ${i}`), outs[i])) throw new Rejection("inconsistent", `stateOut proof ${i} proves another hash`);
    });
    const anchorRoot = req.anchorTree === "gap" ? this.gap!.roots[p] : this.commits[p].root;
    const anchorCount = req.anchorTree === "gap" ? this.gap!.to - this.gap!.from + 1 : this.checkpoints.length;
    const agreed = proven(o.anchor, anchorRoot, req.anchor, anchorCount, "trace anchor proof");
    const before = merkleRoot(ins);
    if (!hashEqual(before, agreed)) throw new Rejection("inconsistent", `trace starts from state ${short(before)}, not the agreed state ${short(agreed)} of step ${req.step}`);
    const after = merkleRoot(outs);
    if (!hashEqual(after, this.claimedNext![p])) {
      throw new Rejection("inconsistent", `trace of step ${req.step} ends in state ${short(after)}, but the party committed ${short(this.claimedNext![p])}`);
    }
  }

  private checkInputs(p: Party, answer: unknown): void {
    const t = this.trace!;
    const node = t.node!;
    const nodes = this.program.graph(t.step).nodes;
    const o = object(answer, "node inputs") as unknown as NodeInputs;
    const tensors = list(o.tensors, node.inputs.length, `inputs of node ${node.index}`);
    const proofs = list(o.proofs, node.inputs.length, `input proofs of node ${node.index}`);
    node.inputs.forEach((j, i) => {
      const x = tensors[i];
      if (!(x instanceof Float32Array)) throw new Rejection("malformed", `input ${i} of node ${node.index} is not a float32 tensor`);
      if (x.length !== nodes[j].size) throw new Rejection("malformed", `input ${i} of node ${node.index} has ${x.length} elements, node ${j} (${nodes[j].id}) outputs ${nodes[j].size}`);
      const leaf = proven(proofs[i], t.roots[p], j, nodes.length, `proof of input ${i} (node ${j})`);
      if (!hashEqual(leaf, hashTensor(x))) throw new Rejection("inconsistent", `input ${i} of node ${node.index} does not hash to its proven leaf`);
    });
  }

  private advance(req: DisputeRequest, answers: [unknown, unknown]): void {
    switch (req.kind) {
      case "children": {
        const d = this.descent!;
        d.advance(answers[0] as ChildReveal, answers[1] as ChildReveal);
        const q = d.query;
        if (q) this.request = { kind: "children", tree: this.tree, level: q.level, index: q.index };
        else this.descentDone(d.leaf!);
        return;
      }
      case "gap": {
        const [a, b] = answers as [GapCommit, GapCommit];
        this.gap!.roots = [a.root, b.root];
        this.startDescent("gap", this.gap!.to - this.gap!.from + 1, [a.root, b.root]);
        return;
      }
      case "trace": {
        const [a, b] = answers as [TraceCommit, TraceCommit];
        this.trace = { step: req.step, roots: [a.root, b.root] };
        this.startDescent("trace", a.nodeCount, [a.root, b.root]);
        return;
      }
      case "inputs":
        return this.recompute(answers[0] as NodeInputs);
    }
  }

  private descentDone(leaf: { index: number; a: Uint8Array; b: Uint8Array }): void {
    if (this.tree === "steps") {
      if (leaf.index === 0) {
        const losers = ([0, 1] as Party[]).filter((p) => !hashEqual([leaf.a, leaf.b][p], this.initialHash));
        this.rule(losers, "initial-state", `committed initial state differs from the job's ${short(this.initialHash)}`);
        return;
      }
      const from = this.checkpoints[leaf.index - 1];
      const to = this.checkpoints[leaf.index];
      this.claimedNext = [leaf.a, leaf.b];
      if (to - from > 1) {
        this.gap = { from, to, checkpoint: leaf.index, roots: [this.commits[0].root, this.commits[1].root] };
        this.request = { kind: "gap", from, to, checkpoint: leaf.index };
      } else this.requestTrace(from, "steps", leaf.index - 1);
      return;
    }
    if (this.tree === "gap") {
      if (leaf.index === 0) return this.rule([0, 1], "inconsistent", "both gap commitments proved the agreed state yet differ on it");
      this.claimedNext = [leaf.a, leaf.b];
      this.requestTrace(this.gap!.from + leaf.index - 1, "gap", leaf.index - 1);
      return;
    }
    // Phase 2 ended: the first node whose inputs both agree on and whose output differs (REFERENCE §3).
    const t = this.trace!;
    const node = this.program.graph(t.step).nodes[leaf.index];
    t.node = node;
    t.leaves = [leaf.a, leaf.b];
    if (node.op === "state") return this.rule([0, 1], "inconsistent", `both parties proved state input node ${node.index} yet differ on it`, node);
    this.request = { kind: "inputs", step: t.step, node: node.index };
  }

  private requestTrace(step: number, anchorTree: TreeName, anchor: number): void {
    this.step = step;
    this.request = { kind: "trace", step, anchorTree, anchor };
  }

  /** Recomputes the one disputed op from (either party's identical) proven inputs and rules. */
  private recompute(inputs: NodeInputs): void {
    const t = this.trace!;
    const node = t.node!;
    const out = this.program.recomputeNode(t.step, node.index, inputs.tensors);
    this.opsExecuted++;
    this.refereeFlops += node.flops;
    const h = hashTensor(out);
    const losers = ([0, 1] as Party[]).filter((p) => !hashEqual(t.leaves![p], h));
    const who = losers.length === 2 ? "neither party" : `party ${1 - losers[0]}`;
    this.rule(losers, "recomputed-op", `step ${t.step} node ${node.index} (${node.id}, ${node.op}): recomputed ${short(h)} matches ${who}`, node);
  }
}
