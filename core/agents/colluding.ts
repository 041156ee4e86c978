// Adversary: colluding copies: several providers post the very same wrong result (same
// commitments), hoping a majority wins. Verde needs only one honest provider (REFERENCE §3).
import type { VerifiableProgram } from "../verde/program.ts";
import type { Behaviour } from "../verde/solver.ts";
import { wrongStep } from "./wrongStep.ts";

export interface ColludingOptions {
  program: VerifiableProgram<any>;
  step: number;
  copies: number;
}

export function colluding(options: ColludingOptions): Behaviour[] {
  const base = wrongStep({ program: options.program, step: options.step });
  return Array.from({ length: options.copies }, () => ({ ...base, kind: "colluding" }));
}
