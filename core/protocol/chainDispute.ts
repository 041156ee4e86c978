// One DisputeGame played on the ledger between two parties' real traces (REFERENCE §3, §4): each
// move carries the hash the mover really holds at that step or graph position (chainClaims.ts),
// the referee's ruling carries the hash of its one-op recomputation on RepOps from inputs proven
// against the agreed claim. A party that stops moving loses when its chess clock runs out.
// No hash here is looked up from an "honest" model: what a party claims is what it computed.
import { SECOND, type Environment, type ProcessGenerator } from "../des/index.ts";
import { systemAccounts, type Account, type Bytes32, type GameOutcome, type Ledger } from "../ledger/ledger.ts";
import type { VerifiableProgram } from "../verde/program.ts";
import { NO_ANSWER } from "../verde/solver.ts";
import { refereeRuling, type ChainTrace } from "./chainClaims.ts";

export interface ChainParty {
  account: Account;
  trace: ChainTrace;
}

export interface ChainDisputeOptions {
  env: Environment;
  ledger: Ledger;
  gameId: number;
  defender: ChainParty;
  challenger: ChainParty;
  /** The job's program on the reproducible backend: what the referee recomputes one op of. */
  refereeProgram: VerifiableProgram<any>;
  /** The job's agreed initial state hash (from its spec): the claim at Steps position 0. */
  initialHash: Bytes32;
  /** Microseconds to get one claim on chain (signing, inclusion in a block). */
  moveDelayUs: number;
  /** Microseconds the referee takes to recompute and post its ruling. */
  refereeDelayUs: number;
  /** Microseconds for `party` to compute `flops` (re-running steps to answer). */
  computeTimeUs(party: ChainParty, flops: number): number;
  /** Chain seconds per block: a late party's clock is checked on the first block past its deadline. */
  blockTimeS: number;
}

export interface ChainDisputeResult {
  gameId: number;
  outcome: GameOutcome;
  reason: "referee" | "timeout";
  /** Bisection claims posted by both parties. */
  moves: number;
  /** The transition step -> step+1 and the graph node the game ended on (as the contract stores them). */
  step: number;
  node: number;
  /** Claims at position hi when the game ended (the referee compares its hash with these). */
  defenderClaimHi: Bytes32;
  challengerClaimHi: Bytes32;
  /** The referee's recomputed hash and the one op it ran; null when the game ended on a timeout. */
  refereeHash: Bytes32 | null;
  refereeOp: { index: number; id: string; op: string } | null;
  refereeOps: number;
  refereeFlops: number;
  durationUs: number;
}

/** A kernel process that drives game `gameId` to its end from both parties' real traces. */
export function* chainDispute(o: ChainDisputeOptions): ProcessGenerator<ChainDisputeResult> {
  const { env, ledger, gameId } = o;
  const start = env.now;
  // Claims both parties posted for the same position (agreed), by phase and position.
  const agreedSteps = new Map<number, Bytes32>([[0, o.initialHash]]);
  const agreedGraph = new Map<number, Bytes32>();
  const movesOf = new Map<Account, number>();
  let refereeHash: Bytes32 | null = null;
  let refereeOp: ChainDisputeResult["refereeOp"] = null;
  let refereeFlops = 0;
  const end = (reason: "referee" | "timeout"): ChainDisputeResult => {
    const g = ledger.game(gameId);
    return {
      gameId, outcome: g.outcome, reason, moves: g.moves, step: g.step, node: g.node,
      defenderClaimHi: g.defenderClaimHi, challengerClaimHi: g.challengerClaimHi,
      refereeHash, refereeOp, refereeOps: refereeOp ? 1 : 0, refereeFlops, durationUs: env.now - start,
    };
  };
  let pending: { phase: string; mid: number; hash: Bytes32 } | null = null;
  for (;;) {
    const g = ledger.game(gameId);
    if (g.phase === "Resolved") return end("timeout");
    if (g.phase === "Referee") {
      yield env.timeout(o.refereeDelayUs);
      const agreed = g.node === 0 ? agreedSteps.get(g.step) : agreedGraph.get(g.node);
      if (agreed === undefined) throw new Error(`chain dispute ${gameId}: no agreed claim at graph position ${g.node} of step ${g.step}`);
      const ruling = refereeRuling(o.refereeProgram, g.step, g.node, agreed, [o.defender.trace.evidence(g.step, g.node), o.challenger.trace.evidence(g.step, g.node)]);
      refereeHash = ruling.hash;
      refereeOp = ruling.node;
      refereeFlops = ruling.flops;
      ledger.rule(systemAccounts.referee, gameId, ruling.hash);
      return end("referee");
    }
    const party = g.turn === "defender" ? o.defender : o.challenger;
    const other = g.turn === "defender" ? o.challenger : o.defender;
    const move = (movesOf.get(party.account) ?? 0) + 1;
    movesOf.set(party.account, move);
    const mid = g.lo + Math.floor((g.hi - g.lo) / 2);
    const before = party.trace.answerFlops;
    const hash = g.phase === "Steps" ? party.trace.stepClaim(mid) : party.trace.graphClaim(g.step, mid);
    const late = party.trace.solver.behaviour.chainDelayUs?.(move) ?? 0;
    const left = g.turn === "defender" ? g.defenderTimeLeft : g.challengerTimeLeft;
    const deadline = g.lastMoveAt + left; // the last chain second the mover may still claim at
    const delayUs = o.moveDelayUs + o.computeTimeUs(party, party.trace.answerFlops - before) + (late === NO_ANSWER ? Infinity : late);
    const ready = env.now + delayUs;
    if (chainSecondsAt(o, ready, ledger) > deadline) {
      // The mover cannot make it: the other party ends the game on the first block past the deadline.
      const untilUs = Math.max(0, (deadline + o.blockTimeS - ledger.now()) * SECOND);
      yield env.timeout(untilUs);
      while (ledger.now() <= deadline) yield env.timeout(o.blockTimeS * SECOND);
      ledger.timeout(other.account, gameId);
      return end("timeout");
    }
    yield env.timeout(Math.round(delayUs));
    if (ledger.now() > deadline) {
      ledger.timeout(other.account, gameId);
      return end("timeout");
    }
    ledger.claim(party.account, gameId, hash);
    if (g.turn === "defender") pending = { phase: g.phase, mid, hash };
    else if (pending !== null && pending.hash === hash) (pending.phase === "Steps" ? agreedSteps : agreedGraph).set(pending.mid, hash);
  }
}

/** Chain time (seconds) a call made at virtual time `atUs` would be applied at. */
function chainSecondsAt(o: ChainDisputeOptions, atUs: number, ledger: Ledger): number {
  if (!Number.isFinite(atUs)) return Infinity;
  return ledger.now() + Math.floor((atUs - o.env.now) / SECOND);
}
