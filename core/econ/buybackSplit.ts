// The buyback split (REFERENCE §9): of the tokens bought, the executor share first, then the
// burn share of the rest; the treasury gets the remainder, so the three parts sum exactly.
import { ProtocolError } from "../errors.ts";
import { BPS, mulBps } from "./wei.ts";

export interface BuybackShares {
  /** Executor reward, basis points of the tokens bought (default 100 = 1%). */
  executorBps: bigint;
  /** Burned, basis points of what is left after the executor reward (default 7000 = 70%). */
  burnBps: bigint;
}

export interface BuybackParts {
  executor: bigint;
  burn: bigint;
  treasury: bigint;
}

/** Splits `bought` tokens; executor and burn round down, the treasury takes the remainder. */
export function buybackSplit(bought: bigint, shares: BuybackShares): BuybackParts {
  if (bought < 0n) throw new ProtocolError(`cannot split a negative buyback: ${bought}`);
  if (shares.executorBps < 0n || shares.executorBps > BPS || shares.burnBps < 0n || shares.burnBps > BPS) {
    throw new ProtocolError(`buyback shares out of range: executor=${shares.executorBps} burn=${shares.burnBps} bps`);
  }
  const executor = mulBps(bought, shares.executorBps);
  const rest = bought - executor;
  const burn = mulBps(rest, shares.burnBps);
  return { executor, burn, treasury: rest - burn };
}
