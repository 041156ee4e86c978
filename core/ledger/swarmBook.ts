// SwarmBook: contracts/src/SwarmCoordinator.sol, RL Swarm's coordinator (REFERENCE §7), with the
// rules of the public rl-swarm-contracts v0.6.0 one: argument-less errors checked in its order,
// OWNER / STAGE_MANAGER / BOOTNODE_MANAGER roles, bootnodes, votes, per-account round-stage rewards.
import { ConfigError } from "../errors.ts";
import type { Account } from "./ledger.ts";
import { revert } from "./revert.ts";

const C = "SwarmCoordinator";

/** The coordinator's roles; on chain each is keccak256 of its name. */
export const SwarmRoles = ["OWNER_ROLE", "STAGE_MANAGER_ROLE", "BOOTNODE_MANAGER_ROLE"] as const;
export type SwarmRole = (typeof SwarmRoles)[number];

/** The coordinator's getters (the contract's views, by the same names where they exist). */
export interface SwarmView {
  currentRound(): number;
  currentStage(): number;
  stageCount(): number;
  /** getEoa: the account that registered `peerId`, or null. */
  peerOwner(peerId: string): Account | null;
  /** getPeerId: the peers `account` registered, in registration order. */
  peersOf(account: Account): string[];
  totalWins(peerId: string): number;
  totalRewards(peerId: string): bigint;
  /** getVoterVotes: the winners `voterPeerId` listed for `round` (empty: no vote recorded). */
  voterVotes(round: number, voterPeerId: string): string[];
  /** getVoterVoteCount: accepted submitWinners calls by this voter (empty lists included). */
  voterVoteCount(voterPeerId: string): number;
  uniqueVoters(): number;
  /** getRoundStageReward: the sum of rewards `account` submitted for (round, stage), over its peers. */
  roundStageReward(round: number, stage: number, account: Account): bigint;
  hasSubmittedRoundStageReward(round: number, stage: number, peerId: string): boolean;
  bootnodes(): string[];
  hasRole(role: SwarmRole, account: Account): boolean;
}

export class SwarmBook implements SwarmView {
  round = 0;
  stage = 0;
  private count = 1;
  private readonly owners = new Map<string, Account>();
  private readonly peersByAccount = new Map<Account, string[]>();
  private readonly votes = new Map<string, string[]>();
  private readonly voteCounts = new Map<string, number>();
  private voters = 0;
  private readonly rewarded = new Set<string>();
  private readonly stageRewards = new Map<string, bigint>();
  private readonly wins = new Map<string, number>();
  private readonly rewards = new Map<string, bigint>();
  private nodes: string[] = [];
  private readonly roles = new Set<string>();

  /** The deployment (deployment.ts): initialize(owner), grantRole(STAGE_MANAGER_ROLE,
   * stageManager), setStageCount(stageCount). */
  constructor(stageCount: number, owner: Account = "deployer", stageManager: Account = "operator") {
    if (!Number.isSafeInteger(stageCount) || stageCount < 1) {
      throw new ConfigError(`ledger.swarm.stageCount: expected an integer >= 1, got ${stageCount} (setStageCount reverts InvalidStageNumber)`);
    }
    for (const r of SwarmRoles) this.roles.add(`${r}|${owner}`);
    this.roles.add(`STAGE_MANAGER_ROLE|${stageManager}`);
    this.count = stageCount;
  }

  // ---------------------------------------------------------------- views

  currentRound(): number { return this.round; }
  currentStage(): number { return this.stage; }
  stageCount(): number { return this.count; }
  peerOwner(peerId: string): Account | null { return this.owners.get(peerId) ?? null; }
  peersOf(account: Account): string[] { return [...(this.peersByAccount.get(account) ?? [])]; }
  peerOwners(): Account[] { return [...this.peersByAccount.keys()]; }
  totalWins(peerId: string): number { return this.wins.get(peerId) ?? 0; }
  totalRewards(peerId: string): bigint { return this.rewards.get(peerId) ?? 0n; }
  voterVotes(round: number, voterPeerId: string): string[] { return [...(this.votes.get(`${round}|${voterPeerId}`) ?? [])]; }
  voterVoteCount(voterPeerId: string): number { return this.voteCounts.get(voterPeerId) ?? 0; }
  uniqueVoters(): number { return this.voters; }
  roundStageReward(round: number, stage: number, account: Account): bigint { return this.stageRewards.get(`${round}|${stage}|${account}`) ?? 0n; }
  hasSubmittedRoundStageReward(round: number, stage: number, peerId: string): boolean { return this.rewarded.has(`${round}|${stage}|${peerId}`); }
  bootnodes(): string[] { return [...this.nodes]; }
  hasRole(role: SwarmRole, account: Account): boolean { return this.roles.has(`${role}|${account}`); }

  // ---------------------------------------------------------------- roles

  private only(role: SwarmRole, from: Account, error: string): void {
    if (!this.hasRole(role, from)) revert(C, error);
  }

  grantRole(from: Account, role: SwarmRole, account: Account): void {
    this.only("OWNER_ROLE", from, "OnlyOwner");
    this.roles.add(`${role}|${account}`);
  }

  revokeRole(from: Account, role: SwarmRole, account: Account): void {
    this.only("OWNER_ROLE", from, "OnlyOwner");
    this.roles.delete(`${role}|${account}`);
  }

  /** The extension: owner only, while the clock is at round 0 stage 0, count >= 1. */
  setStageCount(from: Account, count: number): void {
    this.only("OWNER_ROLE", from, "OnlyOwner");
    if (this.round !== 0 || this.stage !== 0) revert(C, "InvalidRoundNumber");
    if (count === 0) revert(C, "InvalidStageNumber");
    this.count = count;
  }

  // ---------------------------------------------------------------- clock and peers

  updateStageAndRound(from: Account): { round: number; stage: number } {
    this.only("STAGE_MANAGER_ROLE", from, "OnlyStageManager");
    if (this.stage + 1 >= this.count) {
      this.round += 1;
      this.stage = 0;
    } else this.stage += 1;
    return { round: this.round, stage: this.stage };
  }

  /** Any string, the empty one included, registers once. */
  registerPeer(from: Account, peerId: string): void {
    if (this.owners.has(peerId)) revert(C, "PeerIdAlreadyRegistered");
    this.owners.set(peerId, from);
    const mine = this.peersByAccount.get(from) ?? [];
    mine.push(peerId);
    this.peersByAccount.set(from, mine);
  }

  // ---------------------------------------------------------------- bootnodes

  addBootnodes(from: Account, bootnodes: string[]): void {
    this.only("BOOTNODE_MANAGER_ROLE", from, "OnlyBootnodeManager");
    this.nodes.push(...bootnodes);
  }

  /** Swap-and-pop: the last bootnode takes the removed one's index. */
  removeBootnode(from: Account, index: number): void {
    this.only("BOOTNODE_MANAGER_ROLE", from, "OnlyBootnodeManager");
    if (index >= this.nodes.length) revert(C, "InvalidBootnodeIndex");
    const last = this.nodes.pop()!;
    if (index < this.nodes.length) this.nodes[index] = last;
  }

  clearBootnodes(from: Account): void {
    this.only("BOOTNODE_MANAGER_ROLE", from, "OnlyBootnodeManager");
    this.nodes = [];
  }

  // ---------------------------------------------------------------- votes and rewards

  /** In order: InvalidRoundNumber, WinnerAlreadyVoted (a non-empty vote recorded), InvalidVoterPeerId,
   * InvalidVote (a winner twice). Winners need not be registered; an empty list records no vote. */
  submitWinners(from: Account, round: number, winners: string[], voterPeerId: string): void {
    if (round > this.round) revert(C, "InvalidRoundNumber");
    const key = `${round}|${voterPeerId}`;
    if ((this.votes.get(key)?.length ?? 0) > 0) revert(C, "WinnerAlreadyVoted");
    if (this.owners.get(voterPeerId) !== from) revert(C, "InvalidVoterPeerId");
    if (new Set(winners).size !== winners.length) revert(C, "InvalidVote");
    this.votes.set(key, [...winners]);
    if (this.voterVoteCount(voterPeerId) === 0) this.voters += 1;
    this.voteCounts.set(voterPeerId, this.voterVoteCount(voterPeerId) + 1);
    for (const w of winners) this.wins.set(w, this.totalWins(w) + 1);
  }

  /** In order: InvalidRoundNumber, InvalidStageNumber (current round: stage > current stage; a
   * past round: stage > stageCount, the contract's quirk), RewardAlreadySubmitted, InvalidVoterPeerId. */
  submitReward(from: Account, round: number, stage: number, reward: bigint, peerId: string): void {
    if (round > this.round) revert(C, "InvalidRoundNumber");
    if (stage > (round === this.round ? this.stage : this.count)) revert(C, "InvalidStageNumber");
    const key = `${round}|${stage}|${peerId}`;
    if (this.rewarded.has(key)) revert(C, "RewardAlreadySubmitted");
    if (this.owners.get(peerId) !== from) revert(C, "InvalidVoterPeerId");
    const acct = `${round}|${stage}|${from}`;
    this.stageRewards.set(acct, (this.stageRewards.get(acct) ?? 0n) + reward);
    this.rewarded.add(key);
    this.rewards.set(peerId, this.totalRewards(peerId) + reward);
  }
}
