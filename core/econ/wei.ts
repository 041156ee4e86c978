// Fixed-point token amounts: 18-decimal integers ("wei") as bigint, so supply sums are exact (REFERENCE §9).
import { ConfigError } from "../errors.ts";

/** One whole token (or one whole stable dollar) in wei. */
export const WAD = 10n ** 18n;
/** Basis points in one whole. */
export const BPS = 10_000n;

const NANO = 10n ** 9n;

/** A float amount of whole tokens to wei: the integer part exactly, the fraction to 1e-9 tokens. */
export function toWei(tokens: number, where = "amount"): bigint {
  if (!Number.isFinite(tokens) || tokens < 0) throw new ConfigError(`${where}: expected a finite amount >= 0, got ${tokens}`);
  const whole = Math.floor(tokens);
  const frac = tokens - whole;
  return BigInt(whole) * WAD + BigInt(Math.round(frac * 1e9)) * NANO;
}

/** Wei to a float amount of whole tokens (for metrics and prices; never for accounting). */
export function fromWei(wei: bigint): number {
  const whole = wei / WAD;
  const rest = wei - whole * WAD;
  return Number(whole) + Number(rest) / 1e18;
}

/** A share in [0, 1] as integer basis points (rounded half up), checked. */
export function toBps(share: number, where = "share"): bigint {
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new ConfigError(`${where}: expected a share in [0, 1], got ${share}`);
  return BigInt(Math.round(share * 10_000));
}

/** amount * bps / 10000, rounded down (the contracts' rule). */
export function mulBps(amount: bigint, bps: bigint): bigint {
  return (amount * bps) / BPS;
}

/** Integer square root (floor) of a non-negative bigint: Newton's method from an overestimate. */
export function sqrtWei(n: bigint): bigint {
  if (n < 0n) throw new ConfigError(`sqrt of a negative amount: ${n}`);
  if (n < 2n) return n;
  // Float start scaled up slightly, so it is >= floor(sqrt(n)); Newton then decreases monotonically.
  let x = BigInt(Math.ceil(Math.sqrt(Number(n)) * (1 + 1e-9))) + 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
