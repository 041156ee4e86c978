// The `market` workload kind as scenarios name it: core/market's agents on the run's ledger, in
// memory or settled on anvil (settledEntry.ts: a block per blockTimeS, reconciled after each).
import { startMarketLoaded } from "../../core/market/marketWorkload.ts";
import { marketParamsSchema, type MarketParams } from "../../core/market/marketParams.ts";
import type { WorkloadEntry } from "../scenario/workloads/entry.ts";
import { settledWorkload } from "./settledEntry.ts";

export { lastSettlement, settlementTarget } from "./settledEntry.ts";

export const marketEntry: WorkloadEntry<MarketParams> = {
  schema: marketParamsSchema,
  workload: settledWorkload("market", (p) => p.blockTimeS, startMarketLoaded),
};
