// The `market` workload kind as scenarios name it: core/market's agents on the in-memory ledger,
// settled on anvil when the run says `settle: anvil`. A barrier every block time (default one
// virtual second) mines that interval's changes as one block and reconciles; the run is done one barrier after the last job,
// once everything is settled and anvil is stopped (or, ending by duration, in close()). Memory
// runs take the same barriers, so both settlements give the same events and the same ledger.
import { SECOND } from "../../core/des/index.ts";
import { defaultLedgerConfig } from "../../core/ledger/deployment.ts";
import { chainTimeAt, kernelMemoryLedger, startMarket } from "../../core/market/marketWorkload.ts";
import { marketParamsSchema, type MarketParams } from "../../core/market/marketParams.ts";
import type { RunContext, WorkloadRun } from "../../core/run/index.ts";
import type { WorkloadEntry } from "../scenario/workloads/entry.ts";
import { AnvilSettlement, type SettlementStats } from "./anvilSettlement.ts";

/** Where anvil settlement goes: a node this process starts (default) or an external RPC URL. */
export const settlementTarget: { rpc: string | null } = { rpc: null };

/** The settlement of the last market run that settled on anvil (tests and the bench read it). */
export let lastSettlement: AnvilSettlement | null = null;

export async function startSettledMarket(ctx: RunContext, params: MarketParams): Promise<WorkloadRun> {
  const config = defaultLedgerConfig;
  const ledger = kernelMemoryLedger(ctx, config, params.blockTimeS);
  const chain = ctx.settle === "anvil" ? await AnvilSettlement.open(ledger, { rpc: settlementTarget.rpc ?? undefined }) : null;
  lastSettlement = chain;
  let market: WorkloadRun;
  try {
    market = startMarket(ctx, params, ledger, config);
  } catch (err) {
    await chain?.close();
    throw err;
  }
  const done = ctx.env.event("market settled");
  let settled: SettlementStats | null = null;
  ctx.onBarrier(params.blockTimeS * SECOND, async (now) => {
    try {
      if (chain) await chain.settle(chainTimeAt(now, config, params.blockTimeS));
      if (market.done?.processed && !done.triggered) {
        if (chain) settled = await chain.finish();
        done.succeed();
      }
    } catch (err) {
      await chain?.close();
      throw err;
    }
  });
  return {
    done,
    // A run that ends by duration settles what is left here; a failed one only stops anvil.
    close: async (failed) => {
      if (chain === null) return;
      if (failed) await chain.close();
      else if (settled === null) settled = await chain.finish();
    },
    summary: () => {
      const s = settled;
      const settlement = chain === null
        ? { kind: "memory" }
        : { kind: "anvil", complete: s !== null, ledgerChanges: s?.ledgerChanges ?? 0, transactions: s?.transactions ?? 0, blocks: s?.blocks ?? 0, reconciledValues: s?.reconciledValues ?? 0 };
      return { ...market.summary(), settlement };
    },
  };
}

export const marketEntry: WorkloadEntry<MarketParams> = {
  schema: marketParamsSchema,
  workload: { kind: "market", start: startSettledMarket },
};
