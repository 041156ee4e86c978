// What a Delphi trader believes and what the market says (REFERENCE §9). A trader's private
// signal per outcome is s_o = [o == truth] + N(0, sigma^2); with a uniform prior its posterior is
// softmax(s / sigma^2) (Gaussian likelihoods: log L(o) = s_o / sigma^2 + const). The fixed-product
// pool's price of outcome i is (1 / b_i) / sum_j (1 / b_j): the marginal cost of a share.
import { exp } from "../des/math.ts";

/** Posterior over outcomes from one signal vector (sigma = 0: all mass on the argmax). */
export function posterior(signal: readonly number[], sigma: number): number[] {
  if (sigma === 0) {
    let best = 0;
    for (let o = 1; o < signal.length; o++) if (signal[o] > signal[best]) best = o;
    return signal.map((_, o) => (o === best ? 1 : 0));
  }
  const z = signal.map((s) => s / (sigma * sigma));
  const m = Math.max(...z);
  const w = z.map((v) => exp(v - m));
  const t = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / t);
}

/** Outcome prices of a fixed-product pool with balances `pool` (they sum to 1). */
export function poolPrices(pool: readonly bigint[]): number[] {
  const inv = pool.map((b) => (b > 0n ? 1 / Number(b) : 0));
  const t = inv.reduce((a, b) => a + b, 0);
  return inv.map((v) => (t > 0 ? v / t : 0));
}
