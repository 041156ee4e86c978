// An honest provider on a non-reproducible backend (tfjs, or repops-fma / repops-tree: the same
// ops with another reduction order): it follows the protocol but its numbers differ in the last
// bits, so two honest providers can disagree and raise a false dispute (REFERENCE §2), which the
// referee decides by recomputing the op on RepOps: the non-RepOps party is slashed. The backend
// itself is chosen by giving its Solver the program built for that backend (the verde-disputes
// workload: by the node's hardware); this behaviour only labels it.
import type { Behaviour } from "../verde/solver.ts";

export function nonReproducible(backend: string): Behaviour {
  return { kind: `honest-${backend}`, honest: true };
}
