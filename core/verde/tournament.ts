// Disputes among more than two providers (REFERENCE §3: correct whenever at least one is honest):
// king of the hill. The champion is challenged by every live provider whose commitment differs;
// each dispute eliminates its losers; it repeats until every live provider shares the champion's
// commitment. An honest provider never loses a dispute, so it is never eliminated and the
// surviving commitment is the honest one. At most n - 1 disputes.
import { toHex } from "../ml/hash.ts";
import type { ProcessGenerator } from "../des/process.ts";
import { disputeGame, type DisputeGameOptions } from "./disputeGame.ts";
import type { DisputeOutcome } from "./disputeOutcome.ts";
import type { Commitment } from "./messages.ts";
import type { Solver } from "./solver.ts";

export interface TournamentEntry {
  solver: Solver;
  /** What the provider posted (may be malformed: the referee rejects it). */
  commitment: unknown;
}

export interface TournamentOutcome {
  jobId: string;
  /** Providers whose result stands (they share the surviving commitment), by entry order. */
  accepted: string[];
  /** Providers that lost a dispute (to slash). */
  slashed: string[];
  /** Hex of the accepted result hash; null when no provider survived. */
  result: string | null;
  disputes: DisputeOutcome[];
}

function commitmentKey(c: unknown, i: number): string {
  const root = c && typeof c === "object" ? (c as Commitment).root : undefined;
  return root instanceof Uint8Array && root.length === 32 ? toHex(root) : `malformed#${i}`;
}

export function* tournament(o: DisputeGameOptions, entries: readonly TournamentEntry[]): ProcessGenerator<TournamentOutcome> {
  const keys = entries.map((e, i) => commitmentKey(e.commitment, i));
  const eliminated = new Set<number>();
  const disputes: DisputeOutcome[] = [];
  let champion = -1;
  for (;;) {
    const live = entries.map((_, i) => i).filter((i) => !eliminated.has(i));
    if (live.length === 0) break;
    if (champion < 0 || eliminated.has(champion)) champion = live[0];
    const challenger = live.find((i) => keys[i] !== keys[champion]);
    if (challenger === undefined) break;
    const pair: [number, number] = [champion, challenger];
    const game = o.env.process(
      disputeGame({ ...o, jobId: `${o.jobId}/${disputes.length}` }, [entries[champion].solver, entries[challenger].solver], [entries[champion].commitment, entries[challenger].commitment]),
    );
    const outcome: DisputeOutcome = yield game;
    disputes.push(outcome);
    const losers = outcome.losers.map((id) => pair[outcome.parties.indexOf(id)]);
    // A dispute always has a loser when the commitments differ; guard against a silent loop.
    if (losers.length === 0) losers.push(challenger);
    for (const i of losers) eliminated.add(i);
  }
  const live = entries.map((_, i) => i).filter((i) => !eliminated.has(i));
  const ids = entries.map((e) => e.solver.id);
  const accepted = live.map((i) => ids[i]);
  const slashed = [...eliminated].sort((a, b) => a - b).map((i) => ids[i]);
  const winner = live[0];
  return {
    jobId: o.jobId,
    accepted,
    slashed,
    result: winner === undefined ? null : toHex((entries[winner].commitment as Commitment).result),
    disputes,
  };
}
