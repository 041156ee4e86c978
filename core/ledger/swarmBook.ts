// SwarmBook: contracts/src/SwarmCoordinator.sol, RL Swarm's coordinator (REFERENCE §7).
import type { Account } from "./ledger.ts";
import { revert } from "./revert.ts";

const C = "SwarmCoordinator";

export class SwarmBook {
  round = 0;
  stage = 0;
  private readonly owners = new Map<string, Account>();
  private readonly voted = new Set<string>();
  private readonly rewarded = new Set<string>();
  private readonly wins = new Map<string, number>();
  private readonly rewards = new Map<string, bigint>();
  /** Accounts holding STAGE_MANAGER_ROLE. */
  readonly stageManagers = new Set<Account>(["operator"]);

  constructor(readonly stageCount: number) {}

  peerOwner(peerId: string): Account | null {
    return this.owners.get(peerId) ?? null;
  }

  peerOwners(): Account[] {
    return [...this.owners.values()];
  }

  totalWins(peerId: string): number {
    return this.wins.get(peerId) ?? 0;
  }

  totalRewards(peerId: string): bigint {
    return this.rewards.get(peerId) ?? 0n;
  }

  registerPeer(from: Account, peerId: string): void {
    if (peerId.length === 0) revert(C, "InvalidPeerId");
    if (this.owners.has(peerId)) revert(C, "PeerIdAlreadyRegistered", peerId);
    this.owners.set(peerId, from);
  }

  updateStageAndRound(from: Account): { round: number; stage: number } {
    if (!this.stageManagers.has(from)) revert(C, "AccessControlUnauthorizedAccount", from, "STAGE_MANAGER_ROLE");
    if (this.stage + 1 >= this.stageCount) {
      this.round += 1;
      this.stage = 0;
    } else this.stage += 1;
    return { round: this.round, stage: this.stage };
  }

  submitWinners(from: Account, round: number, winners: string[], voterPeerId: string): void {
    if (round > this.round) revert(C, "InvalidRoundNumber", round, this.round);
    if (this.owners.get(voterPeerId) !== from) revert(C, "NotPeerOwner", voterPeerId, from);
    const key = `${round}|${voterPeerId}`;
    if (this.voted.has(key)) revert(C, "WinnerAlreadyVoted", voterPeerId, round);
    for (let i = 0; i < winners.length; i++) {
      const w = winners[i];
      if (!this.owners.has(w) || winners.indexOf(w) < i) revert(C, "InvalidWinner", w);
    }
    this.voted.add(key);
    for (const w of winners) this.wins.set(w, this.totalWins(w) + 1);
  }

  submitReward(from: Account, round: number, stage: number, reward: bigint, peerId: string): void {
    if (round > this.round) revert(C, "InvalidRoundNumber", round, this.round);
    if (stage >= this.stageCount) revert(C, "StageOutOfBounds", stage, this.stageCount);
    if (this.owners.get(peerId) !== from) revert(C, "NotPeerOwner", peerId, from);
    const key = `${round}|${stage}|${peerId}`;
    if (this.rewarded.has(key)) revert(C, "RewardAlreadySubmitted", peerId, round, stage);
    this.rewarded.add(key);
    this.rewards.set(peerId, this.totalRewards(peerId) + reward);
  }
}
