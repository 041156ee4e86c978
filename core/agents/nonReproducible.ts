// An honest provider on a non-reproducible backend (e.g. tfjs instead of repops): it follows the
// protocol but its numbers differ in the last bits, so two honest providers can disagree and
// raise a false dispute (REFERENCE §2). The backend itself is chosen by giving its Solver the
// program built for that backend; this behaviour only labels it.
import type { Behaviour } from "../verde/solver.ts";

export function nonReproducible(backend: string): Behaviour {
  return { kind: `honest-${backend}`, honest: true };
}
