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

/** Nodes that are ops of the backward pass: after the middle of the graph, not inputs, not state updates. */
export function backwardNodes(g: StepGraph): number[] {
  const out = new Set(g.stateOut);
  const n = g.nodes.length;
  return g.nodes
    .filter((x) => x.index >= Math.floor(n / 2) && !out.has(x.index) && x.inputs.length > 0 && x.op !== "state")
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
