// Adversary: a poisoner. Every step it reverses its own update and scales it: the new state is
// in - scale x (out - in) for the first `tensors` state tensors (the parameters), so over a DiLoCo
// round its pseudo-gradient points the other way, `scale` times as long: one vote that pulls the
// global model back (the gradient-ascent attack on data-parallel training). The result it reports
// is what it computed, so it is caught only by a verifier that re-executes the round.
import type { VerifiableProgram } from "../verde/program.ts";
import type { Behaviour } from "../verde/solver.ts";

export interface PoisonOptions {
  program: VerifiableProgram<any>;
  scale?: number;
  /** How many leading state tensors to poison (default: the parameters, graph.paramCount, else all). */
  tensors?: number;
}

export function poison(options: PoisonOptions): Behaviour {
  const { program, scale = 10 } = options;
  return {
    kind: "poison",
    honest: false,
    tamper: (i) => {
      const g = program.graph(i);
      const n = Math.min(options.tensors ?? g.paramCount ?? g.stateOut.length, g.stateOut.length);
      const inOf = new Map<number, number>();
      for (let k = 0; k < n; k++) inOf.set(g.stateOut[k], g.stateIn[k]);
      return (node, out, _inputs, outputs) => {
        const src = inOf.get(node.index);
        if (src === undefined) return out;
        const before = outputs[src];
        const poisoned = new Float32Array(out.length);
        for (let j = 0; j < out.length; j++) poisoned[j] = Math.fround(before[j] - Math.fround(scale * Math.fround(out[j] - before[j])));
        return poisoned;
      };
    },
  };
}
