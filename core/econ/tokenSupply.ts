// Token supply accounting over the ledger (REFERENCE §9): every GSN wei sits in one bucket
// (minted, circulating, staked, burned, treasury, ...), read from the in-memory ledger's
// balances, and the law is exact: balances sum to the supply, supply + burned = minted.
import { ProtocolError } from "../errors.ts";
import { MAX_SUPPLY, type MemoryLedger } from "../ledger/index.ts";

/** The economy's own accounts (besides the ledger's system and contract accounts). */
export const ECON_ACCOUNTS = {
  /** Market participants and arbitrageurs: the free float. */
  holders: "holders",
  /** Stakers (their tokens sit in the Staking contract). */
  stakers: "stakers",
  /** Calls BuybackVault.buyback and earns the executor reward. */
  executor: "executor",
  /** Genesis reserve that pays staking rewards. */
  emissions: "emissions",
  /** Job submitters: pay the protocol fee (USD) into the vault. */
  submitters: "submitters",
  /** Where the treasury's operating spend (USD) goes. */
  operations: "operations",
} as const;

export const SUPPLY_BUCKETS = ["circulating", "staked", "treasury", "emissions", "pool", "vault", "burned"] as const;
export type SupplyBucket = (typeof SUPPLY_BUCKETS)[number];
export type TokenSupply = Record<SupplyBucket, bigint> & { minted: bigint };

/** Accounts whose GSN balance is a named bucket; every other holder is circulating. */
const BUCKET_OF: Record<string, SupplyBucket> = {
  Staking: "staked",
  treasury: "treasury",
  emissions: "emissions",
  ConstantProductPool: "pool",
  BuybackVault: "vault",
};

/** The buckets, read from balances (circulating is a real sum, not a remainder). */
export function tokenSupply(ledger: MemoryLedger): TokenSupply {
  const s: TokenSupply = { minted: MAX_SUPPLY, circulating: 0n, staked: 0n, treasury: 0n, emissions: 0n, pool: 0n, vault: 0n, burned: ledger.burned() };
  for (const account of ledger.accounts()) {
    const b = ledger.balanceOf(account, "GSN");
    s[Object.hasOwn(BUCKET_OF, account) ? BUCKET_OF[account] : "circulating"] += b;
  }
  return s;
}

/** Exact conservation; throws naming the broken identity and both values. */
export function assertConserved(ledger: MemoryLedger, where: string): TokenSupply {
  const s = tokenSupply(ledger);
  let held = 0n;
  for (const b of SUPPLY_BUCKETS) {
    if (s[b] < 0n) throw new ProtocolError(`${where}: bucket ${b} is negative: ${s[b]}`);
    if (b !== "burned") held += s[b];
  }
  const supply = ledger.totalSupply("GSN");
  if (held !== supply) throw new ProtocolError(`${where}: balances sum to ${held} wei but totalSupply is ${supply}`);
  if (held + s.burned !== MAX_SUPPLY) throw new ProtocolError(`${where}: held ${held} + burned ${s.burned} != minted ${MAX_SUPPLY}`);
  if (s.pool !== ledger.poolReserves().gsn) throw new ProtocolError(`${where}: pool balance ${s.pool} != pool reserve ${ledger.poolReserves().gsn}`);
  return s;
}
