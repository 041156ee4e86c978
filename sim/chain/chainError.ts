// Errors of the chain layer: anvil not starting or dying, RPC calls failing, and the
// reconciliation of chain state with the in-memory ledger failing (DESIGN: Settlement).
import { GsimError, type GsimErrorOptions } from "../../core/errors.ts";

/** Anvil could not start, stopped answering, or an RPC call failed. */
export class ChainError extends GsimError {
  override name = "ChainError";
}

/** The anvil process exited while the run still needed it. */
export class AnvilDiedError extends ChainError {
  override name = "AnvilDiedError";
  readonly pid: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  constructor(pid: number, exitCode: number | null, signal: string | null, options: GsimErrorOptions = {}, interruptedBy: string | null = null) {
    super(
      interruptedBy
        ? `anvil (pid ${pid}) stopped: gsim was interrupted (${interruptedBy})`
        : `anvil (pid ${pid}) died: ${signal ? `signal ${signal}` : `exit code ${exitCode}`}`,
      options,
    );
    this.pid = pid;
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/** Chain state and in-memory ledger disagree after a block. */
export class ReconciliationError extends ChainError {
  override name = "ReconciliationError";
  readonly account: string;
  readonly field: string;
  readonly chainValue: string;
  readonly memoryValue: string;
  constructor(
    account: string,
    field: string,
    chainValue: bigint | string,
    memoryValue: bigint | string,
    block: bigint | number,
    options: GsimErrorOptions = {},
  ) {
    super(
      `chain and in-memory ledger disagree ${block < 0 ? "at the end of the run" : `after block ${block}`}: ${field} of ${account}: chain ${chainValue}, memory ${memoryValue}`,
      options,
    );
    this.account = account;
    this.field = field;
    this.chainValue = String(chainValue);
    this.memoryValue = String(memoryValue);
  }
}
