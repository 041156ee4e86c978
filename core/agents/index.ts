// Registry of provider behaviours by kind, with their parameters drawn from a seeded stream, so
// scenarios and property tests can ask for "a wrong-op adversary" (DESIGN: agents).
import type { Rng } from "../des/rng.ts";
import { ConfigError } from "../errors.ts";
import type { VerifiableProgram } from "../verde/program.ts";
import type { Behaviour } from "../verde/solver.ts";
import { colluding } from "./colluding.ts";
import { honest } from "./honest.ts";
import { inconsistentCommitments } from "./inconsistentCommitments.ts";
import { lazySolver } from "./lazySolver.ts";
import { poison } from "./poison.ts";
import { stalling } from "./stalling.ts";
import { wrongOp } from "./wrongOp.ts";
import { wrongStep } from "./wrongStep.ts";

export const ADVERSARY_KINDS = ["wrong-step", "wrong-op", "lazy", "inconsistent", "stalling", "late", "colluding", "poison"] as const;
export type AdversaryKind = (typeof ADVERSARY_KINDS)[number];
export type BehaviourKind = "honest" | AdversaryKind;

/**
 * `copies` behaviours of one kind for one job (copies > 1 only makes sense for colluding: the
 * same wrong result posted by several providers). Parameters come from `rng`.
 */
export interface BehaviourOptions {
  /** poison: how far each update is reversed (default 10). */
  scale?: number;
}

export function behaviours(kind: BehaviourKind, program: VerifiableProgram<any>, rng: Rng, copies = 1, options: BehaviourOptions = {}): Behaviour[] {
  const T = program.steps;
  const step = rng.int(T);
  const one = (): Behaviour => {
    switch (kind) {
      case "honest":
        return honest();
      case "wrong-step":
        return wrongStep({ program, step, tensor: rng.int(program.graph(step).stateOut.length) });
      case "wrong-op":
        return wrongOp({ program, step, pick: rng.random() });
      case "lazy":
        return lazySolver({ program, from: step, every: 1 + rng.int(3) });
      case "inconsistent":
        return inconsistentCommitments({ program, step, where: rng.bernoulli(0.5) ? "descent" : "trace" });
      case "stalling":
        return stalling({ program, step, fromRound: 1 + rng.int(8) });
      case "late":
        return stalling({ program, step, fromRound: 1 + rng.int(8), mode: "late" });
      case "colluding":
        return colluding({ program, step, copies: 1 })[0];
      case "poison":
        return poison({ program, scale: options.scale ?? 10 });
      default:
        throw new ConfigError(`unknown provider behaviour ${JSON.stringify(kind)}; known: honest, ${ADVERSARY_KINDS.join(", ")}`);
    }
  };
  const b = one();
  return Array.from({ length: copies }, () => b);
}
