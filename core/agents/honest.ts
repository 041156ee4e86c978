// The honest provider: follows the protocol, answers every request in time (REFERENCE §3).
import { HONEST, type Behaviour } from "../verde/solver.ts";

export function honest(): Behaviour {
  return HONEST;
}
