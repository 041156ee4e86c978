// PoolBook: contracts/src/ConstantProductPool.sol (Uniswap V2 arithmetic, fee in bps, REFERENCE §9).
import type { Account, Asset } from "./ledger.ts";
import type { Erc20Book } from "./erc20Book.ts";
import { revert } from "./revert.ts";

const C = "ConstantProductPool";

/** out = in*(10000-fee)*R_out / (R_in*10000 + in*(10000-fee)), rounded down. */
export function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, feeBps: bigint): bigint {
  const inWithFee = amountIn * (10_000n - feeBps);
  return (inWithFee * reserveOut) / (reserveIn * 10_000n + inWithFee);
}

export class PoolBook {
  usdReserve = 0n;
  gsnReserve = 0n;
  /** Sum of spotPrice() x seconds up to lastUpdate (Uniswap V2 oracle, UQ112.112). */
  priceCumulative = 0n;
  lastUpdate = 0;

  constructor(private readonly books: Record<Asset, Erc20Book>, readonly feeBps: bigint) {}

  /** USD per GSN as UQ112.112 (0 before seeding). */
  spotPrice(): bigint {
    return this.gsnReserve === 0n ? 0n : (this.usdReserve << 112n) / this.gsnReserve;
  }

  currentCumulative(now: number): bigint {
    return this.priceCumulative + this.spotPrice() * BigInt(now - this.lastUpdate);
  }

  private accrue(now: number): void {
    this.priceCumulative = this.currentCumulative(now);
    this.lastUpdate = now;
  }

  seed(from: Account, usdAmount: bigint, gsnAmount: bigint, now: number): void {
    if (this.usdReserve !== 0n) revert(C, "AlreadySeeded");
    if (usdAmount === 0n || gsnAmount === 0n) revert(C, "ZeroAmount");
    this.books.USD.requireBalance(from, usdAmount);
    this.books.GSN.requireBalance(from, gsnAmount);
    this.accrue(now);
    this.usdReserve = usdAmount;
    this.gsnReserve = gsnAmount;
    this.books.USD.transfer(from, C, usdAmount);
    this.books.GSN.transfer(from, C, gsnAmount);
  }

  quote(assetIn: Asset, amountIn: bigint): bigint {
    return assetIn === "USD"
      ? amountOut(amountIn, this.usdReserve, this.gsnReserve, this.feeBps)
      : amountOut(amountIn, this.gsnReserve, this.usdReserve, this.feeBps);
  }

  /** Checks everything swap() checks, in order, without changing state; returns the output. */
  check(from: Account, assetIn: Asset, amountIn: bigint, minOut: bigint): bigint {
    if (amountIn === 0n) revert(C, "ZeroAmount");
    if (this.usdReserve === 0n) revert(C, "NotSeeded");
    const out = this.quote(assetIn, amountIn);
    if (out < minOut || out === 0n) revert(C, "InsufficientOutput", out, minOut);
    this.books[assetIn].requireBalance(from, amountIn);
    return out;
  }

  swap(from: Account, assetIn: Asset, amountIn: bigint, minOut: bigint, to: Account, now: number): bigint {
    const out = this.check(from, assetIn, amountIn, minOut);
    const assetOut: Asset = assetIn === "USD" ? "GSN" : "USD";
    this.accrue(now);
    if (assetIn === "USD") {
      this.usdReserve += amountIn;
      this.gsnReserve -= out;
    } else {
      this.gsnReserve += amountIn;
      this.usdReserve -= out;
    }
    this.books[assetIn].transfer(from, C, amountIn);
    this.books[assetOut].transfer(C, to, out);
    return out;
  }
}
