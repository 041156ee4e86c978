// applyCall: runs a journaled LedgerCall on any Ledger (replays, differential tests).
import type { Ledger, LedgerCall } from "./ledger.ts";

export function applyCall(ledger: Ledger, call: LedgerCall): unknown {
  const fn = ledger[call.method] as (...args: unknown[]) => unknown;
  return fn.apply(ledger, call.args as unknown[]);
}
