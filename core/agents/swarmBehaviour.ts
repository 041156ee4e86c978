// How an RL Swarm node deviates from the honest client (REFERENCE §7, rl-swarm's reported
// problems): the shape every swarm adversary in this folder returns.
import type { Rng } from "../des/rng.ts";

/** One honest payload as the node would publish it (core/train/rlswarm/payload.ts shape). */
export interface HonestPayload {
  peer: string;
  round: number;
  index: number;
  question: string;
  answer: string;
  reward: number;
  completions: string[];
}

export interface SwarmBehaviour {
  kind: string;
  /** Whether the node puts its payloads in the DHT (free-riders do not). */
  publishes: boolean;
  /** What goes on the wire instead of the honest payloads (untrusted by receivers). */
  publish?(honest: readonly HonestPayload[], rng: Rng): unknown;
  /** Multiplier on compute time (>= 1). */
  slowdown: number;
  /** Extra peer ids its account registers and votes for (sybil). */
  sybilIds: number;
}

export const honestSwarmNode = (): SwarmBehaviour => ({ kind: "honest", publishes: true, slowdown: 1, sybilIds: 0 });
