// A constant-product AMM pool (token / stable) with a swap fee and a time-weighted price
// accumulator, the pool the BuybackVault trades on (REFERENCE §9). Uniswap V2 arithmetic:
// out = in*(1-fee)*R_out / (R_in + in*(1-fee)), all in integer wei, rounded down.
import { ConfigError, ProtocolError } from "../errors.ts";
import { BPS } from "./wei.ts";

export interface PoolObservation {
  /** Virtual time in microseconds. */
  t: number;
  /** Sum of spot price (stable per token) x elapsed seconds up to t. */
  priceCumulative: number;
}

export class ConstantProductPool {
  tokenReserve: bigint;
  stableReserve: bigint;
  readonly feeBps: bigint;
  private lastT: number;
  private cumulative = 0;
  private readonly observations: PoolObservation[] = [];
  /** Observations older than this are dropped (microseconds). */
  private readonly keepUs: number;

  constructor(tokenReserve: bigint, stableReserve: bigint, feeBps: bigint, startT = 0, keepUs = 7 * 86_400_000_000) {
    if (tokenReserve <= 0n || stableReserve <= 0n) {
      throw new ConfigError(`pool reserves must be positive, got token=${tokenReserve} stable=${stableReserve}`);
    }
    if (feeBps < 0n || feeBps >= BPS) throw new ConfigError(`pool fee must be in [0, 10000) bps, got ${feeBps}`);
    this.tokenReserve = tokenReserve;
    this.stableReserve = stableReserve;
    this.feeBps = feeBps;
    this.lastT = startT;
    this.keepUs = keepUs;
    this.observations.push({ t: startT, priceCumulative: 0 });
  }

  /** Spot price in stable per token. */
  spotPrice(): number {
    return Number(this.stableReserve) / Number(this.tokenReserve);
  }

  /** Tokens out for a given stable in (no state change). */
  quoteStableForToken(stableIn: bigint): bigint {
    return amountOut(stableIn, this.stableReserve, this.tokenReserve, this.feeBps);
  }

  /** Stable out for a given token in (no state change). */
  quoteTokenForStable(tokenIn: bigint): bigint {
    return amountOut(tokenIn, this.tokenReserve, this.stableReserve, this.feeBps);
  }

  /** Accumulates the price up to time t (call before reserves change: Uniswap V2 _update). */
  accrue(t: number): void {
    if (t < this.lastT) throw new ProtocolError(`pool time went backwards: ${t} < ${this.lastT}`);
    if (t > this.lastT) {
      this.cumulative += this.spotPrice() * ((t - this.lastT) / 1_000_000);
      this.lastT = t;
      this.observations.push({ t, priceCumulative: this.cumulative });
      const horizon = t - this.keepUs;
      while (this.observations.length > 2 && this.observations[1].t <= horizon) this.observations.shift();
    }
  }

  /**
   * Time-weighted average price over the `windowUs` before t (the TWAP guard). Falls back to
   * the spot price when no time has passed yet.
   */
  twap(t: number, windowUs: number): number {
    this.accrue(t);
    const from = t - windowUs;
    const obs = this.observations;
    // The latest observation at or before `from`; price is constant between observations.
    let i = obs.length - 1;
    while (i > 0 && obs[i].t > from) i--;
    const o = obs[i];
    const startT = Math.max(o.t, from);
    // Cumulative at startT: interpolate with the spot in force after observation i.
    let cumAtStart = o.priceCumulative;
    if (startT > o.t) {
      const next = obs[i + 1];
      const priceAfter = next ? (next.priceCumulative - o.priceCumulative) / ((next.t - o.t) / 1_000_000) : this.spotPrice();
      cumAtStart += priceAfter * ((startT - o.t) / 1_000_000);
    }
    const span = (t - startT) / 1_000_000;
    if (span <= 0) return this.spotPrice();
    return (this.cumulative - cumAtStart) / span;
  }

  /** Swaps stable in for tokens out at time t; reverts (throws) below minTokenOut. */
  swapStableForToken(t: number, stableIn: bigint, minTokenOut = 0n): bigint {
    this.accrue(t);
    const out = this.quoteStableForToken(stableIn);
    if (out < minTokenOut) throw new ProtocolError(`slippage: ${out} tokens out < minimum ${minTokenOut}`);
    if (out >= this.tokenReserve) throw new ProtocolError(`swap would drain the pool: ${out} >= ${this.tokenReserve}`);
    this.stableReserve += stableIn;
    this.tokenReserve -= out;
    return out;
  }

  /** Swaps tokens in for stable out at time t; reverts (throws) below minStableOut. */
  swapTokenForStable(t: number, tokenIn: bigint, minStableOut = 0n): bigint {
    this.accrue(t);
    const out = this.quoteTokenForStable(tokenIn);
    if (out < minStableOut) throw new ProtocolError(`slippage: ${out} stable out < minimum ${minStableOut}`);
    if (out >= this.stableReserve) throw new ProtocolError(`swap would drain the pool: ${out} >= ${this.stableReserve}`);
    this.tokenReserve += tokenIn;
    this.stableReserve -= out;
    return out;
  }
}

/** Uniswap V2 getAmountOut with the fee in basis points. */
export function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, feeBps: bigint): bigint {
  if (amountIn < 0n) throw new ProtocolError(`negative swap input: ${amountIn}`);
  if (amountIn === 0n) return 0n;
  const inWithFee = amountIn * (BPS - feeBps);
  return (inWithFee * reserveOut) / (reserveIn * BPS + inWithFee);
}

/**
 * The largest stable input whose execution price stays within `slippageBps` of spot
 * (tokens out >= in/spot x (1 - slippage)). Zero when the pool fee alone exceeds the bound.
 * From out/(in x T/S) = g S / (S + g in) >= 1 - s  =>  in <= S (g - (1 - s)) / (g (1 - s)).
 */
export function maxStableInForSlippage(stableReserve: bigint, feeBps: bigint, slippageBps: bigint): bigint {
  if (slippageBps <= feeBps) return 0n;
  return (stableReserve * (slippageBps - feeBps) * BPS) / ((BPS - feeBps) * (BPS - slippageBps));
}

/** Uniswap V2 getAmountIn: the input needed for `amountOut`, rounded up. */
export function amountIn(amountOut: bigint, reserveIn: bigint, reserveOut: bigint, feeBps: bigint): bigint {
  if (amountOut <= 0n) return 0n;
  if (amountOut >= reserveOut) throw new ProtocolError(`cannot take ${amountOut} out of a reserve of ${reserveOut}`);
  return (reserveIn * amountOut * BPS) / ((reserveOut - amountOut) * (BPS - feeBps)) + 1n;
}
