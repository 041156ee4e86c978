// The `delphi` workload kind as scenarios name it (core/delphi): AI-settled prediction markets on
// the embedded ledger or settled on anvil (settledEntry.ts), with the PredictionMarket's fees
// taken from the scenario.
import { delphiSchema, type DelphiParams } from "../../core/delphi/delphiParams.ts";
import { delphiLedgerConfig, startDelphi } from "../../core/delphi/delphiWorkload.ts";
import type { WorkloadEntry } from "../scenario/workloads/entry.ts";
import { settledWorkload } from "./settledEntry.ts";

export const delphiEntry: WorkloadEntry<DelphiParams> = {
  schema: delphiSchema,
  workload: settledWorkload("delphi", (p) => p.blockTimeS, startDelphi, delphiLedgerConfig),
};
