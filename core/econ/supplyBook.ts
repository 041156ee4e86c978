// Token supply accounting in exact wei (REFERENCE §9): a fixed supply minted once into buckets;
// tokens only move between buckets or into `burned`, so the buckets always sum to the minted total.
import { ProtocolError } from "../errors.ts";

/** Where every token is, at every moment. */
export const SUPPLY_BUCKETS = ["circulating", "staked", "treasury", "emissions", "pool", "vault", "burned"] as const;
export type SupplyBucket = (typeof SUPPLY_BUCKETS)[number];

export type SupplySnapshot = Record<SupplyBucket, bigint> & { minted: bigint };

export class SupplyBook {
  /** Fixed at construction: no further mint (REFERENCE §9). */
  readonly minted: bigint;
  private readonly balances: Record<SupplyBucket, bigint>;

  /** Mints `minted` once, distributed as given; the unassigned rest lands in `circulating`. */
  constructor(minted: bigint, allocation: Partial<Record<SupplyBucket, bigint>>) {
    if (minted <= 0n) throw new ProtocolError(`minted supply must be positive, got ${minted}`);
    this.minted = minted;
    this.balances = { circulating: 0n, staked: 0n, treasury: 0n, emissions: 0n, pool: 0n, vault: 0n, burned: 0n };
    let assigned = 0n;
    for (const b of SUPPLY_BUCKETS) {
      const v = allocation[b] ?? 0n;
      if (v < 0n) throw new ProtocolError(`allocation to ${b} is negative: ${v}`);
      if (b === "burned" && v !== 0n) throw new ProtocolError(`nothing can start burned, got ${v}`);
      this.balances[b] = v;
      assigned += v;
    }
    if (assigned > minted) throw new ProtocolError(`allocations ${assigned} exceed the minted supply ${minted}`);
    this.balances.circulating += minted - assigned;
  }

  get(bucket: SupplyBucket): bigint {
    return this.balances[bucket];
  }

  /** Moves tokens between buckets; a bucket never goes negative. */
  move(from: SupplyBucket, to: SupplyBucket, amount: bigint, why: string): void {
    if (amount < 0n) throw new ProtocolError(`${why}: negative move ${amount} from ${from} to ${to}`);
    if (from === "burned") throw new ProtocolError(`${why}: burned tokens cannot come back (${amount} to ${to})`);
    if (this.balances[from] < amount) {
      throw new ProtocolError(`${why}: ${from} holds ${this.balances[from]} wei, cannot move ${amount} to ${to}`);
    }
    this.balances[from] -= amount;
    this.balances[to] += amount;
  }

  /** Burns tokens from a bucket (ERC20Burnable.burn). */
  burn(from: SupplyBucket, amount: bigint, why: string): void {
    this.move(from, "burned", amount, why);
  }

  /** Total supply as the token reports it: minted minus burned. */
  totalSupply(): bigint {
    return this.minted - this.balances.burned;
  }

  /** The exact conservation law: every bucket sums to the minted supply. Throws when broken. */
  assertConserved(where: string): void {
    let sum = 0n;
    for (const b of SUPPLY_BUCKETS) {
      if (this.balances[b] < 0n) throw new ProtocolError(`${where}: bucket ${b} is negative: ${this.balances[b]}`);
      sum += this.balances[b];
    }
    if (sum !== this.minted) throw new ProtocolError(`${where}: buckets sum to ${sum} wei but ${this.minted} were minted`);
  }

  snapshot(): SupplySnapshot {
    return { minted: this.minted, ...this.balances };
  }
}
