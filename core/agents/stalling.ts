// Adversary: stalls: a wrong result, and from round `fromRound` on it stops answering (or answers
// too late), hoping the dispute dies; its chess clock runs out and it loses (REFERENCE §3, §4).
import type { VerifiableProgram } from "../verde/program.ts";
import { NO_ANSWER, type Behaviour } from "../verde/solver.ts";
import { wrongStep } from "./wrongStep.ts";

export interface StallingOptions {
  program: VerifiableProgram<any>;
  step: number;
  fromRound?: number;
  /** "silent" never answers; "late" answers after `lateUs`. */
  mode?: "silent" | "late";
  lateUs?: number;
}

export function stalling(options: StallingOptions): Behaviour {
  const { fromRound = 1, mode = "silent", lateUs = 7 * 24 * 3600 * 1e6 } = options;
  const base = wrongStep({ program: options.program, step: options.step });
  return {
    kind: mode === "late" ? "late" : "stalling",
    honest: false,
    tamper: base.tamper,
    answer: (_req, own, round) => (mode === "silent" && round >= fromRound ? NO_ANSWER : own),
    delayUs: (_req, round) => (mode === "late" && round >= fromRound ? lateUs : 0),
    chainDelayUs: (move) => (move < fromRound ? 0 : mode === "silent" ? NO_ANSWER : lateUs),
  };
}
