// StakingBook: contracts/src/Staking.sol's rules (stake, delay-locked unstake, slash).
import type { Account, PendingUnstake } from "./ledger.ts";
import type { Erc20Book } from "./erc20Book.ts";
import { revert } from "./revert.ts";

const C = "Staking";

export class StakingBook {
  private readonly stakes = new Map<Account, bigint>();
  private readonly pending = new Map<Account, PendingUnstake>();
  totalStaked = 0n;
  /** Accounts holding SLASHER_ROLE (the DisputeGame). */
  readonly slashers = new Set<Account>(["DisputeGame"]);

  constructor(private readonly gsn: Erc20Book, private readonly unstakeDelay: number) {}

  stakeOf(account: Account): bigint {
    return this.stakes.get(account) ?? 0n;
  }

  pendingOf(account: Account): PendingUnstake {
    const p = this.pending.get(account);
    return p ? { ...p } : { amount: 0n, unlockAt: 0 };
  }

  stakers(): Account[] {
    return [...new Set([...this.stakes.keys(), ...this.pending.keys()])];
  }

  stake(from: Account, amount: bigint): void {
    if (amount === 0n) revert(C, "ZeroAmount");
    this.gsn.requireBalance(from, amount);
    this.stakes.set(from, this.stakeOf(from) + amount);
    this.totalStaked += amount;
    this.gsn.transfer(from, C, amount);
  }

  requestUnstake(from: Account, amount: bigint, now: number): void {
    if (amount === 0n) revert(C, "ZeroAmount");
    const staked = this.stakeOf(from);
    if (amount > staked) revert(C, "InsufficientStake", from, staked, amount);
    this.stakes.set(from, staked - amount);
    const p = this.pendingOf(from);
    this.pending.set(from, { amount: p.amount + amount, unlockAt: now + this.unstakeDelay });
  }

  withdraw(from: Account, now: number): bigint {
    const p = this.pendingOf(from);
    if (p.amount === 0n) revert(C, "NothingToWithdraw", from);
    if (now < p.unlockAt) revert(C, "UnstakeLocked", from, p.unlockAt, now);
    this.pending.set(from, { amount: 0n, unlockAt: 0 });
    this.totalStaked -= p.amount;
    this.gsn.transfer(C, from, p.amount);
    return p.amount;
  }

  /** Active stake first, then the pending unstake; returns what was actually slashed. */
  slash(by: Account, account: Account, amount: bigint, recipient: Account): bigint {
    if (!this.slashers.has(by)) revert(C, "AccessControlUnauthorizedAccount", by, "SLASHER_ROLE");
    const staked = this.stakeOf(account);
    const fromStake = amount < staked ? amount : staked;
    this.stakes.set(account, staked - fromStake);
    const rest = amount - fromStake;
    const p = this.pendingOf(account);
    const fromPending = rest < p.amount ? rest : p.amount;
    if (this.pending.has(account)) this.pending.set(account, { amount: p.amount - fromPending, unlockAt: p.unlockAt });
    const slashed = fromStake + fromPending;
    this.totalStaked -= slashed;
    if (slashed > 0n) this.gsn.transfer(C, recipient, slashed);
    return slashed;
  }
}
