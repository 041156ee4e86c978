// Adversary: commits to one thing and reveals another: a wrong result whose reveals during the
// dispute do not match its own commitments (children that do not hash to the committed node, or
// a step trace bound to a state it never committed). The referee rejects the reveal.
import type { DisputeRequest } from "../verde/messages.ts";
import type { VerifiableProgram } from "../verde/program.ts";
import type { Behaviour } from "../verde/solver.ts";
import { wrongStep } from "./wrongStep.ts";

export interface InconsistentOptions {
  program: VerifiableProgram<any>;
  step: number;
  /** Where it contradicts itself: in the step descent, or in the trace commitment of phase 2. */
  where?: "descent" | "trace";
}

export function inconsistentCommitments(options: InconsistentOptions): Behaviour {
  const base = wrongStep({ program: options.program, step: options.step });
  const where = options.where ?? "descent";
  return {
    kind: "inconsistent",
    honest: false,
    tamper: base.tamper,
    answer: (req: DisputeRequest, own: any) => {
      if (where === "descent" && req.kind === "children" && req.tree === "steps" && own.right !== undefined) {
        return { left: own.right, right: own.left };
      }
      if (where === "trace" && req.kind === "trace") {
        const stateOut = own.stateOut.map((h: Uint8Array, k: number) => (k === 0 ? own.stateIn[0] : h));
        return { ...own, stateOut };
      }
      return own;
    },
  };
}
