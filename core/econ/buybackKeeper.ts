// The buyback executor's policy: how much of the vault's USD to send to BuybackVault.buyback
// so that no guard reverts (daily cap, slippage from spot); a PriceAboveTwap revert is a
// skipped execution. The vault's rules themselves are the contract's (core/ledger).
import { LedgerRevert, type BuybackResult, type MemoryLedger } from "../ledger/index.ts";
import { BPS } from "./wei.ts";

const DAY_S = 86_400;

/**
 * The largest USD input whose execution price stays within `slippageBps` of spot
 * (out >= in x T/S x (1 - s)): in <= S (s - f) / ((1 - f)(1 - s)) in bps. Zero when fee >= bound.
 */
export function maxStableInForSlippage(stableReserve: bigint, feeBps: bigint, slippageBps: bigint): bigint {
  if (slippageBps <= feeBps) return 0n;
  return (stableReserve * (slippageBps - feeBps) * BPS) / ((BPS - feeBps) * (BPS - slippageBps));
}

/** Uniswap V2 getAmountIn: the input needed for `amountOut`, rounded up. */
export function amountInFor(amountOut: bigint, reserveIn: bigint, reserveOut: bigint, feeBps: bigint): bigint {
  if (amountOut <= 0n) return 0n;
  if (amountOut >= reserveOut) return -1n;
  return (reserveIn * amountOut * BPS) / ((reserveOut - amountOut) * (BPS - feeBps)) + 1n;
}

export type KeeperOutcome =
  | { kind: "bought"; result: BuybackResult; limitedByCap: boolean; limitedBySlippage: boolean }
  | { kind: "skipped"; reason: "nothing" | "PriceAboveTwap" | "SlippageExceeded" | "DailyCapExceeded" };

/** One execution attempt by `executor` at the ledger's current time. */
export function executeBuyback(ledger: MemoryLedger, executor: string): KeeperOutcome {
  const cfg = ledger.config;
  let amount = ledger.balanceOf("BuybackVault", "USD");
  let limitedByCap = false;
  let limitedBySlippage = false;
  const day = Math.floor(ledger.now() / DAY_S);
  const v = ledger.vaultDay();
  const capLeft = cfg.vault.dailyCap - (v.day === day ? v.spent : 0n);
  if (amount > capLeft) {
    amount = capLeft;
    limitedByCap = true;
  }
  // A 0.1% margin under the bound absorbs the contract's rounding of spotOut and minOut.
  const slipMax = (maxStableInForSlippage(ledger.poolReserves().usd, cfg.pool.feeBps, cfg.vault.maxSlippageBps) * 999n) / 1000n;
  if (amount > slipMax) {
    amount = slipMax;
    limitedBySlippage = true;
  }
  if (amount <= 0n) return { kind: "skipped", reason: "nothing" };
  try {
    return { kind: "bought", result: ledger.buyback(executor, amount), limitedByCap, limitedBySlippage };
  } catch (err) {
    if (err instanceof LedgerRevert && (err.errorName === "PriceAboveTwap" || err.errorName === "SlippageExceeded" || err.errorName === "DailyCapExceeded")) {
      return { kind: "skipped", reason: err.errorName };
    }
    throw err;
  }
}
