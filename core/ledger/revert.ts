// Throws the LedgerRevert a contract would revert with (one line at each rule).
import { LedgerRevert } from "./ledgerRevert.ts";

export function revert(contract: string, errorName: string, ...errorArgs: (string | number | bigint)[]): never {
  throw new LedgerRevert(contract, errorName, errorArgs);
}
