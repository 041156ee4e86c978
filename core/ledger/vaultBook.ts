// VaultBook: contracts/src/BuybackVault.sol (fee intake, guarded swap, reward/burn/treasury split).
import type { Account, Asset, BuybackResult } from "./ledger.ts";
import type { Erc20Book } from "./erc20Book.ts";
import type { PoolBook } from "./poolBook.ts";
import type { LedgerConfig } from "./deployment.ts";
import { revert } from "./revert.ts";

const C = "BuybackVault";
const DAY = 86_400;

export class VaultBook {
  day = 0;
  spentToday = 0n;
  /** The TWAP oracle: the pool's cumulative price at obsTime, and the last window's average. */
  obsCumulative: bigint;
  obsTime: number;
  twap = 0n;

  constructor(
    private readonly books: Record<Asset, Erc20Book>,
    private readonly pool: PoolBook,
    readonly params: LedgerConfig["vault"],
    private readonly treasury: Account,
    deployedAt: number,
  ) {
    this.obsCumulative = pool.currentCumulative(deployedAt);
    this.obsTime = deployedAt;
  }

  buyback(executor: Account, amountIn: bigint, now: number): BuybackResult {
    const p = this.params;
    if (amountIn === 0n) revert(C, "ZeroAmount");
    const available = this.books.USD.balanceOf(C);
    if (amountIn > available) revert(C, "InsufficientFees", available, amountIn);
    const today = Math.floor(now / DAY);
    const spent = today === this.day ? this.spentToday : 0n;
    if (spent + amountIn > p.dailyCap) revert(C, "DailyCapExceeded", spent, amountIn, p.dailyCap);
    // TWAP guard: roll the window when it is long enough, then compare (REFERENCE §9).
    let { obsCumulative, obsTime, twap } = this;
    const elapsed = now - obsTime;
    if (elapsed > 0 && elapsed >= p.twapWindow) {
      const cumulative = this.pool.currentCumulative(now);
      twap = (cumulative - obsCumulative) / BigInt(elapsed);
      obsCumulative = cumulative;
      obsTime = now;
    }
    const spot = this.pool.spotPrice();
    if (twap !== 0n && spot > (twap * (10_000n + p.maxTwapDeviationBps)) / 10_000n) revert(C, "PriceAboveTwap", spot, twap);
    // Slippage against the spot price; the pool's fee counts as slippage (REFERENCE §9).
    if (this.pool.usdReserve === 0n) revert(C, "Panic", 0x12); // division by zero: unseeded pool
    const spotOut = (amountIn * this.pool.gsnReserve) / this.pool.usdReserve;
    const minOut = (spotOut * (10_000n - p.maxSlippageBps)) / 10_000n;
    const quoted = this.pool.quote("USD", amountIn);
    if (quoted < minOut) revert(C, "SlippageExceeded", quoted, minOut);
    this.pool.check(C, "USD", amountIn, minOut);

    this.day = today;
    this.spentToday = spent + amountIn;
    Object.assign(this, { obsCumulative, obsTime, twap });
    const bought = this.pool.swap(C, "USD", amountIn, minOut, C, now);
    const executorReward = (bought * p.executorRewardBps) / 10_000n;
    const burned = ((bought - executorReward) * p.burnBps) / 10_000n;
    const toTreasury = bought - executorReward - burned;
    if (executorReward > 0n) this.books.GSN.transfer(C, executor, executorReward);
    if (burned > 0n) this.books.GSN.burn(C, burned);
    if (toTreasury > 0n) this.books.GSN.transfer(C, this.treasury, toTreasury);
    return { amountIn, bought, executorReward, burned, toTreasury };
  }
}
