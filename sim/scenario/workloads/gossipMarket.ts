// Scenario schema and start of the `gossip-market` workload: the `gossip` workload (heartbeats and
// push-gossip rumors, core/world/gossip.ts) and the `market` workload (core/market) on one world
// at the same time, the protocol load of a large network (scenarios/scale-1m.yaml). The market
// settles on the in-memory ledger; the run lasts the scenario's duration (the market's own end
// does not stop it). With `market.traces: synthetic` every market event is marked synthetic.
import { z } from "zod";
import { defaultLedgerConfig } from "../../../core/ledger/deployment.ts";
import { marketParamsSchema, type MarketParams } from "../../../core/market/marketParams.ts";
import { kernelMemoryLedger, startMarketLoaded } from "../../../core/market/marketWorkload.ts";
import { ConfigError } from "../../../core/errors.ts";
import type { RunContext } from "../../../core/run/context.ts";
import type { Workload, WorkloadRun } from "../../../core/run/workload.ts";
import { gossipWorkload, type GossipParams } from "../../../core/world/gossip.ts";
import { gossipEntry } from "./gossip.ts";
import type { WorkloadEntry } from "./entry.ts";

export interface GossipMarketParams {
  gossip: GossipParams;
  market: MarketParams;
}

const schema = z.strictObject({
  gossip: gossipEntry.schema.prefault({}),
  market: marketParamsSchema.prefault({}),
});

export const gossipMarketWorkload: Workload<GossipMarketParams> = {
  kind: "gossip-market",
  async start(ctx: RunContext, p: GossipMarketParams): Promise<WorkloadRun> {
    if (ctx.settle !== "memory") throw new ConfigError(`workload gossip-market settles in memory only, got settle: ${ctx.settle}`);
    const gossip = gossipWorkload.start(ctx, p.gossip) as WorkloadRun;
    const market = await startMarketLoaded(ctx, p.market, kernelMemoryLedger(ctx, defaultLedgerConfig, p.market.blockTimeS), defaultLedgerConfig);
    return { summary: () => ({ gossip: gossip.summary(), market: market.summary() }) };
  },
};

export const gossipMarketEntry: WorkloadEntry<GossipMarketParams> = { schema, workload: gossipMarketWorkload };
