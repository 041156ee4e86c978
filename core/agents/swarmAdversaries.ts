// Registry of RL Swarm node behaviours by kind (REFERENCE §7); OOM refusal is not chosen here but
// follows from hardware (swarmOomRefusal.ts).
import { ConfigError } from "../errors.ts";
import { honestSwarmNode, type SwarmBehaviour } from "./swarmBehaviour.ts";
import { swarmFreeRider } from "./swarmFreeRider.ts";
import { swarmMalformed } from "./swarmMalformed.ts";
import { swarmPoisoner } from "./swarmPoisoner.ts";
import { swarmSlow } from "./swarmSlow.ts";
import { swarmSybil } from "./swarmSybil.ts";

export const SWARM_ADVERSARY_KINDS = ["free-rider", "poisoner", "malformed", "slow", "sybil"] as const;
export type SwarmAdversaryKind = (typeof SWARM_ADVERSARY_KINDS)[number];

export interface SwarmAdversaryOptions {
  mode?: "wrong-gold" | "garbage";
  slowdown?: number;
  ids?: number;
}

export function swarmBehaviour(kind: SwarmAdversaryKind | "honest", o: SwarmAdversaryOptions = {}): SwarmBehaviour {
  switch (kind) {
    case "honest": return honestSwarmNode();
    case "free-rider": return swarmFreeRider();
    case "poisoner": return swarmPoisoner(o.mode ?? "wrong-gold");
    case "malformed": return swarmMalformed();
    case "slow": return swarmSlow(o.slowdown ?? 20);
    case "sybil": return swarmSybil(o.ids ?? 4);
    default: throw new ConfigError(`unknown swarm behaviour ${JSON.stringify(kind)}; known: honest, ${SWARM_ADVERSARY_KINDS.join(", ")}`);
  }
}

export type { SwarmBehaviour } from "./swarmBehaviour.ts";
