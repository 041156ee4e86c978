// The real program of market job `index` (REFERENCE §3): a small MLP trained with AdamW on
// Gaussian-mixture data (core/verde/mlpJob.ts), seeded per job. The solver, every verifier and
// the referee build it from the same (run seed, job index, steps); only the backend differs.
import type { Bytes32 } from "../ledger/ledger.ts";
import type { Backend } from "../ml/backend.ts";
import { hashBytes, toHex } from "../ml/hash.ts";
import { mlpJobProgram } from "../verde/mlpJob.ts";
import type { VerifiableProgram } from "../verde/program.ts";

const HIDDEN = [8];
const BATCH = 8;

export interface MarketJobProgram {
  specHash: Bytes32;
  /** The job's program on `backend`; built once per backend and shared by the parties using it. */
  on(backend: Backend): VerifiableProgram<any>;
}

/** Job `index` of a run seeded `runSeed`, `steps` training steps. */
export function marketJobProgram(runSeed: number, index: number, steps: number): MarketJobProgram {
  const seed = runSeed * 1_000_003 + index;
  const built = new Map<Backend, VerifiableProgram<any>>();
  const spec = `market|mlp|in8|h${HIDDEN.join("x")}|c4|b${BATCH}|adamw|seed${seed}|steps${steps}`;
  return {
    specHash: `0x${toHex(hashBytes(new TextEncoder().encode(spec), "keccak256"))}` as Bytes32,
    on(backend) {
      let p = built.get(backend);
      if (p === undefined) built.set(backend, (p = mlpJobProgram({ steps, seed, hidden: HIDDEN, batch: BATCH }, backend)));
      return p;
    },
  };
}
