// SYNTHETIC traces only (`traces: synthetic`): plays one DisputeGame through the Ledger port with
// hash traces from traceModel.ts: the solver (defender) and the challenging verifier alternate
// bisection claims over steps then graph nodes; the "referee" looks up the honest hash at the
// disputed position instead of recomputing anything, so an honest party wins by construction.
// The default market (realJob.ts, core/protocol) plays the game with real hashes instead.
import type { Environment, ProcessGenerator } from "../des/index.ts";
import { systemAccounts, type Account, type GameOutcome, type Ledger } from "../ledger/ledger.ts";
import type { Fault, TraceModel } from "./traceModel.ts";

export interface DisputeParties {
  defender: Account;
  challenger: Account;
  defenderFault: Fault | null;
  challengerFault: Fault | null;
}

export interface DisputeTiming {
  /** Microseconds a party takes to compute and post one claim. */
  moveDelayUs: number;
  /** Microseconds the referee takes to recompute the operator and rule. */
  refereeDelayUs: number;
}

export interface DisputeResult {
  gameId: number;
  outcome: GameOutcome;
  /** Bisection claims posted by both parties. */
  moves: number;
  /** The disputed step and graph node the bisection ended on. */
  step: number;
  node: number;
  /** Why it ended: the referee's one-operator ruling, or a timeout. */
  reason: "referee" | "timeout";
}

/** A kernel process that drives game `gameId` to its end and returns how it ended. */
export function* playDispute(
  env: Environment,
  ledger: Ledger,
  gameId: number,
  model: TraceModel,
  parties: DisputeParties,
  timing: DisputeTiming,
): ProcessGenerator<DisputeResult> {
  for (;;) {
    const g = ledger.game(gameId);
    if (g.phase === "Resolved") {
      return { gameId, outcome: g.outcome, moves: g.moves, step: g.step, node: g.node, reason: "timeout" };
    }
    if (g.phase === "Referee") {
      yield env.timeout(timing.refereeDelayUs);
      // The referee's recomputation is the honest hash at position hi of the graph phase.
      const outcome = ledger.rule(systemAccounts.referee, gameId, model.graphHash(g.step, g.hi, null));
      const done = ledger.game(gameId);
      return { gameId, outcome, moves: done.moves, step: done.step, node: done.node, reason: "referee" };
    }
    yield env.timeout(timing.moveDelayUs);
    const mover = g.turn === "defender" ? parties.defender : parties.challenger;
    const fault = g.turn === "defender" ? parties.defenderFault : parties.challengerFault;
    const mid = g.lo + Math.floor((g.hi - g.lo) / 2);
    const hash = g.phase === "Steps" ? model.stateHash(mid, fault) : model.graphHash(g.step, mid, fault);
    ledger.claim(mover, gameId, hash);
  }
}
