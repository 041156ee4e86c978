// Free-rider: gathers and trains on the swarm's rollouts but never publishes its own (SAPO §5's
// commons problem: many consume, few contribute).
import type { SwarmBehaviour } from "./swarmBehaviour.ts";

export const swarmFreeRider = (): SwarmBehaviour => ({ kind: "free-rider", publishes: false, slowdown: 1, sybilIds: 0 });
