// Typical gas per ledger call on the real contracts (REFERENCE §9: model per-transaction gas),
// for charging fees in the simulation without a chain. Medians of receipts' gasUsed from the
// differential run (contracts/ledgerParity.test.ts keeps them within 30%); `slash` and `rule`
// are rare there and come from forge's gas report plus the 21,000 intrinsic gas.
import type { LedgerMethod } from "./ledger.ts";

export const typicalGas: Readonly<Record<LedgerMethod, number>> = {
  transfer: 34_527,
  mintUsd: 53_614,
  burn: 33_839,
  stake: 54_469,
  requestUnstake: 38_839,
  withdraw: 47_395,
  slash: 75_000,
  postJob: 126_992,
  cancelJob: 58_943,
  assign: 139_971,
  commit: 77_232,
  challenge: 334_990,
  finalize: 103_355,
  claim: 67_541,
  timeout: 141_544,
  rule: 185_000,
  swap: 83_673,
  buyback: 138_487,
  // SwarmCoordinator (v0.6.0 interface; medians of the swarm traffic in contracts/ledgerParity.test.ts).
  registerPeer: 74_568,
  updateStageAndRound: 35_000,
  submitWinners: 115_000,
  submitReward: 86_100,
  setStageCount: 30_165,
  grantSwarmRole: 48_780,
  revokeSwarmRole: 27_500,
  addBootnodes: 77_976,
  removeBootnode: 37_075,
  clearBootnodes: 35_000,
  // PredictionMarket (medians over 2..5-outcome markets in contracts/ledgerParity.test.ts).
  createMarket: 200_000,
  buyShares: 126_000,
  sellShares: 110_000,
  resolveMarket: 78_000,
  redeem: 40_000,
};

/** Fee in wei of one call at `gasPriceWei` (e.g. an OP-stack L2's ~0.001 gwei). */
export function callFee(method: LedgerMethod, gasPriceWei: bigint): bigint {
  return BigInt(typicalGas[method]) * gasPriceWei;
}
