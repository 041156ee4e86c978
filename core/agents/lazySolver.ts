// Adversary: the lazy solver skips steps: from `from` on, each skipped step leaves the state as it
// was (the update nodes copy their input state), saving the compute and claiming the fee.
import type { VerifiableProgram } from "../verde/program.ts";
import type { Behaviour } from "../verde/solver.ts";

export interface LazySolverOptions {
  program: VerifiableProgram<any>;
  /** First skipped step. */
  from: number;
  /** Skip every `every`-th step from `from` on (1 = all). */
  every?: number;
}

export function lazySolver(options: LazySolverOptions): Behaviour {
  const { program, from, every = 1 } = options;
  return {
    kind: "lazy",
    honest: false,
    tamper: (i) => {
      if (i < from || (i - from) % every !== 0) return undefined;
      const g = program.graph(i);
      const copyOf = new Map(g.stateOut.map((n, k) => [n, g.stateIn[k]]));
      return (node, out, _inputs, outputs) => {
        const src = copyOf.get(node.index);
        return src === undefined ? out : outputs[src].slice();
      };
    },
  };
}
