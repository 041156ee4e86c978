// Adversary: a wrong result at one step: the state after step `step` is off, and it trains on
// from the wrong state (it corrupts the update nodes that write the new state).
import type { VerifiableProgram } from "../verde/program.ts";
import type { Behaviour } from "../verde/solver.ts";
import { perturbed } from "./perturb.ts";

export interface WrongStepOptions {
  program: VerifiableProgram<any>;
  step: number;
  /** Which state tensor to corrupt (default 0). */
  tensor?: number;
  delta?: number;
}

export function wrongStep(options: WrongStepOptions): Behaviour {
  const { program, step, tensor = 0, delta = 0.125 } = options;
  const target = program.graph(step).stateOut[tensor];
  return {
    kind: "wrong-step",
    honest: false,
    tamper: (i) => (i === step ? (node, out) => (node.index === target ? perturbed(out, delta) : out) : undefined),
  };
}
