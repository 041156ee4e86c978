// A workload that settles on the run's ledger: the in-memory ledger by default, or anvil when the
// run says `settle: anvil`. A barrier every block time mines that interval's changes as one block
// and reconciles chain state with the in-memory ledger; the run is done one barrier after the
// workload, once everything is settled (and anvil is stopped). Memory runs take the same barriers,
// so both settlements give the same events and the same final ledger (DESIGN: Settlement).
import { SECOND } from "../../core/des/index.ts";
import { defaultLedgerConfig, type LedgerConfig } from "../../core/ledger/deployment.ts";
import type { MemoryLedger } from "../../core/ledger/memoryLedger.ts";
import { chainTimeAt, kernelMemoryLedger } from "../../core/market/marketWorkload.ts";
import type { RunContext, Workload, WorkloadRun } from "../../core/run/index.ts";
import { AnvilSettlement, type SettlementStats } from "./anvilSettlement.ts";

/** Where anvil settlement goes: a node this process starts (default) or an external RPC URL. */
export const settlementTarget: { rpc: string | null } = { rpc: null };

/** The settlement of the last run that settled on anvil (tests and the bench read it). */
export let lastSettlement: AnvilSettlement | null = null;

export type SettledStart<P> = (ctx: RunContext, params: P, ledger: MemoryLedger, config: LedgerConfig) => WorkloadRun | Promise<WorkloadRun>;

/** `start` on a kernel-clocked memory ledger, mirrored to anvil when ctx.settle is "anvil". */
export function settledWorkload<P>(kind: string, blockTimeS: (params: P) => number, start: SettledStart<P>, ledgerConfig: (params: P) => LedgerConfig = () => defaultLedgerConfig): Workload<P> {
  return {
    kind,
    async start(ctx: RunContext, params: P): Promise<WorkloadRun> {
      const config = ledgerConfig(params);
      const block = blockTimeS(params);
      const ledger = kernelMemoryLedger(ctx, config, block);
      const chain = ctx.settle === "anvil" ? await AnvilSettlement.open(ledger, { rpc: settlementTarget.rpc ?? undefined }) : null;
      lastSettlement = chain;
      let run: WorkloadRun;
      try {
        run = await start(ctx, params, ledger, config);
      } catch (err) {
        await chain?.close();
        throw err;
      }
      const done = ctx.env.event(`${kind} settled`);
      let settled: SettlementStats | null = null;
      ctx.onBarrier(block * SECOND, async (now) => {
        try {
          if (chain) await chain.settle(chainTimeAt(now, config, block));
          if (run.done?.processed && !done.triggered) {
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
          return { ...run.summary(), settlement };
        },
      };
    },
  };
}
