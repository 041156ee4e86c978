// The BuybackVault (REFERENCE §9): takes protocol fees in stable, buys the token on the pool
// under guards (spot within a band of the TWAP, slippage bound, daily cap), then pays the
// executor reward, burns the burn share and sends the rest to the treasury.
import { ProtocolError } from "../errors.ts";
import { buybackSplit, type BuybackParts, type BuybackShares } from "./buybackSplit.ts";
import { maxStableInForSlippage, type ConstantProductPool } from "./constantProductPool.ts";
import type { SupplyBook } from "./supplyBook.ts";
import { BPS } from "./wei.ts";

const DAY_US = 86_400_000_000;

export interface BuybackGuards {
  /** TWAP window in microseconds (REFERENCE §9: >= 30 min). */
  twapWindowUs: number;
  /** Skip when |spot / TWAP - 1| exceeds this many basis points. */
  maxTwapDeviationBps: bigint;
  /** Execution price at most this many bps worse than spot (REFERENCE §9: <= 5%). */
  maxSlippageBps: bigint;
  /** Stable spent per UTC day at most (0 = no cap). */
  dailyCapStable: bigint;
}

export interface BuybackTotals {
  feesIn: bigint;
  stableSpent: bigint;
  bought: bigint;
  executor: bigint;
  burned: bigint;
  treasury: bigint;
  executions: number;
  skippedTwap: number;
  limitedBySlippage: number;
  limitedByCap: number;
}

export interface BuybackExecution extends BuybackParts {
  stableIn: bigint;
  bought: bigint;
}

export class BuybackVault {
  /** Stable fees waiting to be spent. */
  stableBalance = 0n;
  private spentToday = 0n;
  private day = -1;
  readonly totals: BuybackTotals = {
    feesIn: 0n, stableSpent: 0n, bought: 0n, executor: 0n, burned: 0n, treasury: 0n,
    executions: 0, skippedTwap: 0, limitedBySlippage: 0, limitedByCap: 0,
  };

  constructor(readonly shares: BuybackShares, readonly guards: BuybackGuards) {
    if (guards.twapWindowUs < 0 || !Number.isSafeInteger(guards.twapWindowUs)) {
      throw new ProtocolError(`TWAP window must be a non-negative integer of microseconds, got ${guards.twapWindowUs}`);
    }
  }

  /** Protocol fee intake (JobMarket -> vault). */
  depositFee(amount: bigint): void {
    if (amount < 0n) throw new ProtocolError(`negative fee deposit: ${amount}`);
    this.stableBalance += amount;
    this.totals.feesIn += amount;
  }

  /** One guarded buyback at time t; null when a guard stops it or there is nothing to spend. */
  execute(t: number, pool: ConstantProductPool, book: SupplyBook): BuybackExecution | null {
    const day = Math.floor(t / DAY_US);
    if (day !== this.day) {
      this.day = day;
      this.spentToday = 0n;
    }
    if (this.stableBalance === 0n) return null;
    const spot = pool.spotPrice();
    const twap = pool.twap(t, this.guards.twapWindowUs);
    const deviation = Math.abs(spot / twap - 1);
    if (deviation * 10_000 > Number(this.guards.maxTwapDeviationBps)) {
      this.totals.skippedTwap++;
      return null;
    }
    let stableIn = this.stableBalance;
    const cap = this.guards.dailyCapStable;
    if (cap > 0n && stableIn > cap - this.spentToday) {
      stableIn = cap - this.spentToday;
      this.totals.limitedByCap++;
    }
    const slipMax = maxStableInForSlippage(pool.stableReserve, pool.feeBps, this.guards.maxSlippageBps);
    if (stableIn > slipMax) {
      stableIn = slipMax;
      this.totals.limitedBySlippage++;
    }
    if (stableIn <= 0n) return null;
    // minOut at the slippage bound from spot, as the vault passes it to the pool.
    const atSpot = (stableIn * pool.tokenReserve) / pool.stableReserve;
    const minOut = (atSpot * (BPS - this.guards.maxSlippageBps)) / BPS;
    const bought = pool.swapStableForToken(t, stableIn, minOut);
    this.stableBalance -= stableIn;
    this.spentToday += stableIn;
    book.move("pool", "vault", bought, "buyback swap");
    const parts = buybackSplit(bought, this.shares);
    book.move("vault", "circulating", parts.executor, "buyback executor reward");
    book.burn("vault", parts.burn, "buyback burn");
    book.move("vault", "treasury", parts.treasury, "buyback treasury share");
    const tot = this.totals;
    tot.stableSpent += stableIn;
    tot.bought += bought;
    tot.executor += parts.executor;
    tot.burned += parts.burn;
    tot.treasury += parts.treasury;
    tot.executions++;
    return { stableIn, bought, ...parts };
  }
}
