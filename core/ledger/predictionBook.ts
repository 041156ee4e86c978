// The PredictionMarket contract's rules in memory (contracts/src/PredictionMarket.sol), exactly:
// a fixed-product market maker over complete sets per market, a trading fee split between the
// BuybackVault (protocol share) and the platform, resolution from a Paid judge job, redemption.
import type { Erc20Book } from "./erc20Book.ts";
import type { Account, Bytes32, Job } from "./ledger.ts";
import { revert } from "./revert.ts";

export const PREDICTION_MAX_OUTCOMES = 8;

/** PredictionMarket.MarketStatus, same order as the Solidity enum. */
export const MarketStatus = ["None", "Open", "Resolved"] as const;
export type MarketStatus = (typeof MarketStatus)[number];

export interface PredictionMarketState {
  id: number;
  creator: Account;
  status: MarketStatus;
  outcomes: number;
  winner: number;
  resolveAt: number;
  judgeSpec: Bytes32;
  jobId: number;
  collateral: bigint;
  /** The pool's balance of each outcome's shares. */
  pool: bigint[];
}

export interface PredictionParams {
  /** Trading fee on each trade (bps, < 10000). */
  feeBps: bigint;
  /** Share of the fee sent to the BuybackVault (bps, <= 10000; REFERENCE §9: 0.5%). */
  protocolShareBps: bigint;
}

export interface PredictionFees {
  charged: bigint;
  toVault: bigint;
  toPlatform: bigint;
}

const ceilDiv = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);

export class PredictionBook {
  private readonly markets: PredictionMarketState[] = [];
  private readonly shares = new Map<string, bigint>();
  readonly fees: PredictionFees = { charged: 0n, toVault: 0n, toPlatform: 0n };

  constructor(
    private readonly usd: Erc20Book,
    private readonly params: PredictionParams,
    private readonly job: (jobId: number) => Job,
    private readonly vault: Account,
    private readonly platform: Account,
    private readonly self = "PredictionMarket",
  ) {}

  count(): number {
    return this.markets.length;
  }

  market(id: number): PredictionMarketState {
    const m = this.markets[id - 1];
    if (!m) return { id, creator: "", status: "None", outcomes: 0, winner: 0, resolveAt: 0, judgeSpec: `0x${"0".repeat(64)}`, jobId: 0, collateral: 0n, pool: [] };
    return { ...m, pool: [...m.pool] };
  }

  sharesOf(id: number, account: Account, outcome: number): bigint {
    return this.shares.get(`${id}|${account}|${outcome}`) ?? 0n;
  }

  private setShares(id: number, account: Account, outcome: number, v: bigint): void {
    this.shares.set(`${id}|${account}|${outcome}`, v);
  }

  create(from: Account, judgeSpec: Bytes32, outcomes: number, resolveAt: number, liquidity: bigint, now: number): number {
    if (outcomes < 2 || outcomes > PREDICTION_MAX_OUTCOMES || resolveAt <= now || liquidity === 0n) revert(this.self, "InvalidMarket", outcomes, resolveAt, liquidity);
    this.usd.requireBalance(from, liquidity);
    const id = this.markets.length + 1;
    this.markets.push({ id, creator: from, status: "Open", outcomes, winner: 0, resolveAt, judgeSpec, jobId: 0, collateral: liquidity, pool: Array.from({ length: outcomes }, () => liquidity) });
    this.usd.transfer(from, this.self, liquidity);
    return id;
  }

  private open(id: number, outcome: number, now: number): PredictionMarketState {
    const m = this.markets[id - 1];
    if (!m || m.status !== "Open") revert(this.self, "WrongMarketStatus", id, m ? m.status : "None");
    if (now >= m!.resolveAt) revert(this.self, "WrongTime", id, m!.resolveAt, now);
    if (outcome >= m!.outcomes) revert(this.self, "InvalidOutcome", id, outcome);
    return m!;
  }

  private chargeFee(fee: bigint): void {
    if (fee === 0n) return;
    const toVault = (fee * this.params.protocolShareBps) / 10_000n;
    this.fees.charged += fee;
    this.fees.toVault += toVault;
    this.fees.toPlatform += fee - toVault;
    if (toVault > 0n) this.usd.transfer(this.self, this.vault, toVault);
    if (fee > toVault) this.usd.transfer(this.self, this.platform, fee - toVault);
  }

  /** Quote of a buy: shares out and the pool after it (no state change). */
  quoteBuy(id: number, outcome: number, amount: bigint): { shares: bigint; fee: bigint; pool: bigint[] } {
    const m = this.markets[id - 1];
    const fee = (amount * this.params.feeBps) / 10_000n;
    const x = amount - fee;
    const pool = [...m.pool];
    let nb = pool[outcome];
    for (let j = 0; j < m.outcomes; j++) {
      if (j === outcome) continue;
      nb = ceilDiv(nb * pool[j], pool[j] + x);
      pool[j] += x;
    }
    const shares = m.pool[outcome] + x - nb;
    pool[outcome] = nb;
    return { shares, fee, pool };
  }

  buy(from: Account, id: number, outcome: number, amount: bigint, minShares: bigint, now: number): bigint {
    const m = this.open(id, outcome, now);
    if (amount === 0n) revert(this.self, "InvalidAmount", amount);
    const q = this.quoteBuy(id, outcome, amount);
    if (amount - q.fee === 0n) revert(this.self, "InvalidAmount", amount);
    if (q.shares < minShares) revert(this.self, "Slippage", q.shares, minShares);
    this.usd.requireBalance(from, amount);
    m.pool = q.pool;
    this.setShares(id, from, outcome, this.sharesOf(id, from, outcome) + q.shares);
    m.collateral += amount - q.fee;
    this.usd.transfer(from, this.self, amount);
    this.chargeFee(q.fee);
    return q.shares;
  }

  /** Shares a sell returning `returned` USD takes, or null when the pool cannot fill it. */
  quoteSell(id: number, outcome: number, returned: bigint): { shares: bigint; pool: bigint[] } | null {
    const m = this.markets[id - 1];
    const pool = [...m.pool];
    let nb = pool[outcome];
    for (let j = 0; j < m.outcomes; j++) {
      if (j === outcome) continue;
      if (pool[j] <= returned) return null;
      nb = ceilDiv(nb * pool[j], pool[j] - returned);
      pool[j] -= returned;
    }
    const shares = nb + returned - m.pool[outcome];
    pool[outcome] = nb;
    return { shares, pool };
  }

  sell(from: Account, id: number, outcome: number, returned: bigint, maxShares: bigint, now: number): bigint {
    const m = this.open(id, outcome, now);
    if (returned === 0n) revert(this.self, "InvalidAmount", returned);
    const q = this.quoteSell(id, outcome, returned);
    if (q === null) revert(this.self, "InvalidAmount", returned);
    if (q!.shares > maxShares) revert(this.self, "Slippage", q!.shares, maxShares);
    const held = this.sharesOf(id, from, outcome);
    if (held < q!.shares) revert(this.self, "InsufficientShares", held, q!.shares);
    m.pool = q!.pool;
    this.setShares(id, from, outcome, held - q!.shares);
    m.collateral -= returned;
    const fee = (returned * this.params.feeBps) / 10_000n;
    this.usd.transfer(this.self, from, returned - fee);
    this.chargeFee(fee);
    return q!.shares;
  }

  /** Resolver only (checked by the ledger): the outcome read from Paid judge job `jobId` with result root `root`. */
  resolve(id: number, jobId: number, root: Bytes32, winner: number, now: number): void {
    const m = this.markets[id - 1];
    if (!m || m.status !== "Open") revert(this.self, "WrongMarketStatus", id, m ? m.status : "None");
    if (now < m!.resolveAt) revert(this.self, "WrongTime", id, m!.resolveAt, now);
    if (winner >= m!.outcomes) revert(this.self, "InvalidOutcome", id, winner);
    const j = this.job(jobId);
    if (j.status !== "Paid" || j.specHash !== m!.judgeSpec || j.resultRoot !== root) revert(this.self, "JudgeNotVerified", id, jobId);
    m!.status = "Resolved";
    m!.winner = winner;
    m!.jobId = jobId;
  }

  redeem(from: Account, id: number): bigint {
    const m = this.markets[id - 1];
    if (!m || m.status !== "Resolved") revert(this.self, "WrongMarketStatus", id, m ? m.status : "None");
    let amount = this.sharesOf(id, from, m!.winner);
    this.setShares(id, from, m!.winner, 0n);
    if (from === m!.creator) {
      amount += m!.pool[m!.winner];
      m!.pool[m!.winner] = 0n;
    }
    m!.collateral -= amount;
    if (amount > 0n) this.usd.transfer(this.self, from, amount);
    return amount;
  }

  /** Every (market, account, outcome) share balance, for conservation checks. */
  totalShares(id: number, outcome: number): bigint {
    let s = 0n;
    for (const [k, v] of this.shares) {
      const [mid, , o] = k.split("|");
      if (Number(mid) === id && Number(o) === outcome) s += v;
    }
    return s;
  }
}
