// The `protocol` workload kind as scenarios name it (core/protocol/protocolWorkload.ts), settled
// on the embedded ledger or on anvil (settledEntry.ts).
import { protocolSchema, startProtocol, type ProtocolParams } from "../../core/protocol/protocolWorkload.ts";
import type { WorkloadEntry } from "../scenario/workloads/entry.ts";
import { settledWorkload } from "./settledEntry.ts";

export const protocolEntry: WorkloadEntry<ProtocolParams> = {
  schema: protocolSchema,
  workload: settledWorkload("protocol", (p) => p.blockTimeS, startProtocol),
};
