// GameBook: contracts/src/DisputeGame.sol (Verde bisection over steps then graph nodes, chess
// clocks, the challenger's bond, the referee's one-op ruling, slashing; REFERENCE §3, §4).
import type { Account, Bytes32, Game, GameOutcome } from "./ledger.ts";
import type { Erc20Book } from "./erc20Book.ts";
import type { StakingBook } from "./stakingBook.ts";
import type { MarketBook } from "./marketBook.ts";
import type { LedgerConfig } from "./deployment.ts";
import { revert } from "./revert.ts";

const C = "DisputeGame";
const ZERO: Bytes32 = `0x${"0".repeat(64)}`;

/** Hashes compare as the EVM compares bytes32: case-insensitively in hex. */
const same = (a: Bytes32, b: Bytes32): boolean => a.toLowerCase() === b.toLowerCase();

export class GameBook {
  private readonly games: Game[] = [];
  bondsHeld = 0n;
  /** Accounts holding REFEREE_ROLE. */
  readonly referees = new Set<Account>(["referee"]);

  constructor(
    private readonly gsn: Erc20Book,
    private readonly staking: StakingBook,
    private readonly market: MarketBook,
    readonly params: LedgerConfig["dispute"],
    private readonly treasury: Account,
  ) {}

  get count(): number {
    return this.games.length;
  }

  game(gameId: number): Game {
    const g = this.games[gameId - 1];
    if (g) return { ...g };
    return {
      id: gameId, jobId: 0, defender: "", challenger: "", phase: "None", lo: 0, hi: 0, step: 0, node: 0, graphNodes: 0,
      turn: "defender", pendingClaim: null, defenderClaimHi: ZERO, challengerClaimHi: ZERO,
      defenderTimeLeft: 0, challengerTimeLeft: 0, lastMoveAt: 0, moves: 0, bond: 0n, outcome: "Pending",
    };
  }

  /** open()'s checks, run by the market before it changes anything. */
  checkOpen(defenderRoot: Bytes32, challengerRoot: Bytes32, challenger: Account): void {
    if (same(defenderRoot, challengerRoot)) revert(C, "ClaimsAgree", defenderRoot);
    if (this.params.bond > 0n) this.gsn.requireBalance(challenger, this.params.bond);
  }

  open(jobId: number, defender: Account, challenger: Account, dRoot: Bytes32, cRoot: Bytes32, steps: number, graphNodes: number, now: number): number {
    this.checkOpen(dRoot, cRoot, challenger);
    const g: Game = {
      id: this.games.length + 1, jobId, defender, challenger, phase: "Steps", lo: 0, hi: steps, step: 0, node: 0,
      turn: "defender", pendingClaim: null, defenderClaimHi: dRoot, challengerClaimHi: cRoot,
      defenderTimeLeft: this.params.clock, challengerTimeLeft: this.params.clock, lastMoveAt: now,
      moves: 0, bond: this.params.bond, outcome: "Pending", graphNodes,
    };
    this.games.push(g);
    this.bondsHeld += g.bond;
    if (g.bond > 0n) this.gsn.transfer(challenger, C, g.bond);
    this.settlePhase(g);
    return g.id;
  }

  private stored(gameId: number): (Game) | undefined {
    return Number.isInteger(gameId) ? this.games[gameId - 1] : undefined;
  }

  private inBisection(gameId: number): Game {
    const g = this.stored(gameId);
    if (!g || (g.phase !== "Steps" && g.phase !== "Graph")) revert(C, "WrongPhase", gameId, g?.phase ?? "None");
    return g;
  }

  claim(from: Account, gameId: number, hash: Bytes32, now: number): void {
    const g = this.inBisection(gameId);
    const challengerToMove = g.turn === "challenger";
    const mover = challengerToMove ? g.challenger : g.defender;
    if (from !== mover) revert(C, "NotYourTurn", gameId, from);
    const elapsed = now - g.lastMoveAt;
    const left = challengerToMove ? g.challengerTimeLeft : g.defenderTimeLeft;
    if (elapsed > left) revert(C, "ClockExpired", gameId, elapsed, left);
    if (challengerToMove) g.challengerTimeLeft = left - elapsed;
    else g.defenderTimeLeft = left - elapsed;
    g.lastMoveAt = now;
    g.moves += 1;
    const mid = g.lo + Math.floor((g.hi - g.lo) / 2);
    if (!challengerToMove) {
      g.pendingClaim = hash;
      g.turn = "challenger";
      return;
    }
    // Both claims for mid are in: agree -> the fault is above mid; disagree -> at or below.
    if (same(g.pendingClaim ?? ZERO, hash)) g.lo = mid;
    else {
      g.hi = mid;
      g.defenderClaimHi = g.pendingClaim ?? ZERO;
      g.challengerClaimHi = hash;
    }
    g.pendingClaim = null;
    g.turn = "defender";
    this.settlePhase(g);
  }

  timeout(gameId: number, now: number): GameOutcome {
    const g = this.inBisection(gameId);
    const elapsed = now - g.lastMoveAt;
    const left = g.turn === "challenger" ? g.challengerTimeLeft : g.defenderTimeLeft;
    if (elapsed <= left) revert(C, "ClockNotExpired", gameId, elapsed, left);
    // The party that moved last wins (REFERENCE §3: a party that stops answering loses).
    const outcome: GameOutcome = g.turn === "challenger" ? "DefenderWon" : "ChallengerWon";
    this.resolve(g, outcome);
    return outcome;
  }

  rule(from: Account, gameId: number, correctHash: Bytes32): GameOutcome {
    if (!this.referees.has(from)) revert(C, "AccessControlUnauthorizedAccount", from, "REFEREE_ROLE");
    const g = this.stored(gameId);
    if (!g || g.phase !== "Referee") revert(C, "WrongPhase", gameId, g?.phase ?? "None");
    const outcome: GameOutcome = same(g.defenderClaimHi, correctHash)
      ? "DefenderWon"
      : same(g.challengerClaimHi, correctHash) ? "ChallengerWon" : "BothWrong";
    this.resolve(g, outcome);
    return outcome;
  }

  /** Steps -> Graph over the disputed step's nodes -> Referee, whenever a range narrows to one. */
  private settlePhase(g: Game): void {
    if (g.phase === "Steps" && g.hi - g.lo === 1) {
      g.step = g.lo;
      g.phase = "Graph";
      g.lo = 0;
      g.hi = g.graphNodes;
    }
    if (g.phase === "Graph" && g.hi - g.lo === 1) {
      g.node = g.lo;
      g.phase = "Referee";
    }
  }

  private resolve(g: Game, outcome: GameOutcome): void {
    g.phase = "Resolved";
    g.outcome = outcome;
    this.bondsHeld -= g.bond;
    const slashAmount = this.params.slashAmount;
    let bondTo: Account;
    if (outcome === "DefenderWon") {
      this.staking.slash(C, g.challenger, slashAmount, g.defender);
      bondTo = g.defender;
    } else if (outcome === "ChallengerWon") {
      this.staking.slash(C, g.defender, slashAmount, g.challenger);
      bondTo = g.challenger;
    } else {
      this.staking.slash(C, g.defender, slashAmount, this.treasury);
      this.staking.slash(C, g.challenger, slashAmount, this.treasury);
      bondTo = this.treasury;
    }
    if (g.bond > 0n) this.gsn.transfer(C, bondTo, g.bond);
    this.market.onDisputeResolved(g.jobId, outcome === "DefenderWon");
  }
}
