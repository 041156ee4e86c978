// LedgerRevert: a ledger call that a contract would revert, named by the contract's custom error.
import { ProtocolError } from "../errors.ts";

/** Thrown by the memory ledger exactly where the contract reverts; `errorName` is the Solidity
 * custom error (e.g. "InsufficientStake", "ERC20InsufficientBalance"), so sim/chain can compare
 * it with the revert decoded from the chain. */
export class LedgerRevert extends ProtocolError {
  override name = "LedgerRevert";
  readonly contract: string;
  readonly errorName: string;
  readonly errorArgs: readonly (string | number | bigint)[];
  constructor(contract: string, errorName: string, errorArgs: readonly (string | number | bigint)[] = [], where = "") {
    super(`${contract}${where ? `.${where}` : ""} reverted: ${errorName}(${errorArgs.map(String).join(", ")})`);
    this.contract = contract;
    this.errorName = errorName;
    this.errorArgs = errorArgs;
  }
}
