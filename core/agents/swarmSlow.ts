// Slow node: computes `slowdown` times slower than its hardware, so it publishes after faster
// peers have gathered and misses rounds the chain has moved past (REFERENCE §7: nodes silently
// stuck on slow hardware).
import type { SwarmBehaviour } from "./swarmBehaviour.ts";

export const swarmSlow = (slowdown: number): SwarmBehaviour => ({ kind: "slow", publishes: true, slowdown, sybilIds: 0 });
