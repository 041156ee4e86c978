// Adversary: one wrong op deep in the backward pass of one step; everything after it is computed
// correctly from the wrong value, so only phase 2 can pin the lie on that one node.
import { ConfigError } from "../errors.ts";
import type { StepGraph, VerifiableProgram } from "../verde/program.ts";
import type { Behaviour } from "../verde/solver.ts";
import { perturbed } from "./perturb.ts";

export interface WrongOpOptions {
  program: VerifiableProgram<any>;
  step: number;
  /** The node to corrupt; default: a backward node chosen by `pick` in [0, 1). */
  node?: number;
  pick?: number;
  delta?: number;
}

/**
 * Ops of the backward pass that the new state depends on: from graph.backwardFrom (else the
 * middle of the graph) on, not inputs, not the state updates themselves, and on a path to a
 * state output (a dead node, like the gradient of the data, changes nothing a commitment covers).
 */
export function backwardNodes(g: StepGraph): number[] {
  const out = new Set(g.stateOut);
  const live = new Uint8Array(g.nodes.length);
  for (const n of g.stateOut) live[n] = 1;
  for (let i = g.nodes.length - 1; i >= 0; i--) if (live[i]) for (const j of g.nodes[i].inputs) live[j] = 1;
  const from = g.backwardFrom ?? Math.floor(g.nodes.length / 2);
  return g.nodes
    .filter((x) => live[x.index] && x.index >= from && !out.has(x.index) && x.inputs.length > 0 && x.op !== "state")
    .map((x) => x.index);
}

export function wrongOp(options: WrongOpOptions): Behaviour {
  const { program, step, pick = 0.5, delta = 0.25 } = options;
  const candidates = backwardNodes(program.graph(step));
  if (options.node === undefined && candidates.length === 0) throw new ConfigError(`wrongOp: step ${step} of ${program.name} has no backward nodes`);
  const target = options.node ?? candidates[Math.min(candidates.length - 1, Math.floor(pick * candidates.length))];
  return {
    kind: "wrong-op",
    honest: false,
    tamper: (i) => (i === step ? (node, out) => (node.index === target ? perturbed(out, delta) : out) : undefined),
  };
}
