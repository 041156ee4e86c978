// ERC20Book: balances and supply of one ERC-20 (OpenZeppelin 5 rules and error names).
import type { Account } from "./ledger.ts";
import { revert } from "./revert.ts";

export class Erc20Book {
  readonly contract: string;
  private readonly balances = new Map<Account, bigint>();
  supply = 0n;

  constructor(contract: string) {
    this.contract = contract;
  }

  balanceOf(account: Account): bigint {
    return this.balances.get(account) ?? 0n;
  }

  holders(): Account[] {
    return [...this.balances.keys()];
  }

  /** OZ ERC20._update's check: the sender must hold `amount`. */
  requireBalance(from: Account, amount: bigint): void {
    const b = this.balanceOf(from);
    if (b < amount) revert(this.contract, "ERC20InsufficientBalance", from, b, amount);
  }

  transfer(from: Account, to: Account, amount: bigint): void {
    this.requireBalance(from, amount);
    this.balances.set(from, this.balanceOf(from) - amount);
    this.balances.set(to, this.balanceOf(to) + amount);
  }

  mint(to: Account, amount: bigint): void {
    this.supply += amount;
    this.balances.set(to, this.balanceOf(to) + amount);
  }

  burn(from: Account, amount: bigint): void {
    this.requireBalance(from, amount);
    this.balances.set(from, this.balanceOf(from) - amount);
    this.supply -= amount;
  }
}
