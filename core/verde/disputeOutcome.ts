// The plain result of one Verde dispute: what the market and the ledger act on (slash the
// losers, pay the winner) and what the metrics record (REFERENCE §3, DESIGN Verification).
import { ProtocolError } from "../errors.ts";
import type { RulingReason } from "./referee.ts";

export interface DisputeOutcome {
  jobId: string;
  /** Provider ids, challenger order: [a, b]. */
  parties: [string, string];
  /** The provider the referee ruled for; null when both lost (or nobody did: no-dispute). */
  winner: string | null;
  /** Providers to slash. */
  losers: string[];
  reason: RulingReason;
  detail: string;
  /** Disputed step (state step -> step+1), when the game got that far. */
  step: number | null;
  /** The one graph node the referee recomputed, when it did. */
  node: { index: number; id: string; op: string } | null;
  /** Request/response exchanges between the referee and both parties. */
  rounds: number;
  /** Bytes of every request and answer on the wire. */
  bytes: number;
  /** Ops the referee executed (1 when decided by recomputation, else 0). */
  refereeOps: number;
  refereeFlops: number;
  /** FLOPs of re-running the whole job: what the referee avoided. */
  fullFlops: number;
  /** Virtual time from the challenge to the ruling, microseconds. */
  durationUs: number;
  startUs: number;
  /** Chess-clock time each party used, microseconds (REFERENCE §4). */
  clockUsedUs: [number, number];
}

/** The outcome as plain JSON fields for traces and summaries. */
export function outcomeFields(o: DisputeOutcome): Record<string, string | number | null> {
  return {
    job: o.jobId,
    a: o.parties[0],
    b: o.parties[1],
    winner: o.winner,
    losers: o.losers.join(","),
    reason: o.reason,
    step: o.step,
    node: o.node ? `${o.node.index}:${o.node.id}` : null,
    rounds: o.rounds,
    bytes: o.bytes,
    refereeFlops: o.refereeFlops,
    fullFlops: o.fullFlops,
    durationUs: o.durationUs,
  };
}

/**
 * The outcome in the DisputeGame contract's terms (core/ledger: GameOutcome), seen from the
 * defender (the solver whose result was challenged): what the market and ledger settle on.
 */
export function gameOutcomeOf(o: DisputeOutcome, defender: string): "DefenderWon" | "ChallengerWon" | "BothWrong" | "Pending" {
  if (!o.parties.includes(defender)) throw new ProtocolError(`gameOutcomeOf: ${defender} is not a party of dispute ${o.jobId} (${o.parties.join(", ")})`);
  if (o.losers.length === 2) return "BothWrong";
  if (o.losers.length === 0) return "Pending";
  return o.winner === defender ? "DefenderWon" : "ChallengerWon";
}
