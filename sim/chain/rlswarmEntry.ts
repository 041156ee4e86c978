// The `rlswarm` workload kind as scenarios name it (core/train/rlswarm/swarm.ts), with the
// SwarmCoordinator on the embedded ledger or on anvil (settledEntry.ts). The coordinator is
// deployed with the mode's stage count (v2 / SAPO: one stage per round; v1: three). With
// cleanTwin the same swarm without adversaries runs afterwards on its own in-memory coordinator.
import { defaultLedgerConfig } from "../../core/ledger/deployment.ts";
import { getBackend } from "../../core/ml/backend.ts";
import { rlswarmSchema, type RlswarmParams } from "../../core/train/rlswarm/params.ts";
import { startWithCleanTwin } from "../../core/train/rlswarm/cleanTwin.ts";
import type { WorkloadEntry } from "../scenario/workloads/entry.ts";
import { settledWorkload } from "./settledEntry.ts";

export const rlswarmEntry: WorkloadEntry<RlswarmParams> = {
  schema: rlswarmSchema,
  workload: settledWorkload(
    "rlswarm",
    (p) => p.blockTimeS,
    async (ctx, p, ledger, config) => startWithCleanTwin(ctx, p, ledger, await getBackend(ctx.backend), config),
    (p) => ({ ...defaultLedgerConfig, swarm: { stageCount: p.stages } }),
  ),
};
