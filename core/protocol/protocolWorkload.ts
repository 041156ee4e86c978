// The `protocol` workload: the whole loop in one run (REFERENCE §1, §3, §5, §9). A DiLoCo training
// job whose every worker-round contribution is a protocol job on the run's ledger (roundJobs.ts):
// the trainer escrows a fee per contribution, workers and verifiers stake, sampled verifiers
// re-execute, mismatches are DisputeGames on the parties' real traces, losers are slashed; the
// protocol fee of every paid job flows into the BuybackVault, and a keeper buys GSN back from
// those fees and burns its share. Demand for the buyback comes from the job flow itself, not from
// an exogenous curve (core/econ's tokenomics keeps that for year-long studies).
import { z } from "zod";
import { SECOND, type ProcessGenerator } from "../des/index.ts";
import { executeBuyback } from "../econ/buybackKeeper.ts";
import type { LedgerConfig } from "../ledger/deployment.ts";
import { systemAccounts } from "../ledger/ledger.ts";
import type { MemoryLedger } from "../ledger/memoryLedger.ts";
import type { RunContext } from "../run/context.ts";
import type { WorkloadRun } from "../run/workload.ts";
import { dilocoArm } from "../train/dilocoArm.ts";
import type { TrainContext } from "../train/trainContext.ts";
import { dilocoSchema, type DilocoParams } from "../train/trainParams.ts";
import { withBackend } from "../train/workloads.ts";

export const protocolSchema = z.strictObject({
  /** The training job: a DiLoCo run (same keys as `kind: diloco`); set adversaries and verification here. */
  training: dilocoSchema.omit({ kind: true }),
  /** The keeper buys back with the vault's fees every this many seconds (0: never). */
  buybackEveryS: z.number().min(0).default(600),
  /** Chain seconds per block: ledger time follows the kernel in blocks of this size. */
  blockTimeS: z.number().int().positive().default(1),
});
export type ProtocolParams = z.infer<typeof protocolSchema>;

const tokens = (x: bigint) => Number(x / 10n ** 12n) / 1e6;

export async function startProtocol(ctx: RunContext, params: ProtocolParams, ledger: MemoryLedger, config: LedgerConfig): Promise<WorkloadRun> {
  const arm = { ...params.training, kind: "diloco" } as DilocoParams;
  const base: TrainContext = {
    env: ctx.env, streams: ctx.streams, world: ctx.world, trace: ctx.trace, metrics: ctx.metrics, backend: ctx.backend,
    settlement: { ledger, config, blockTimeS: params.blockTimeS, trace: ctx.trace },
  };
  const trainCtx = await withBackend(base, [arm]);
  const env = ctx.env;
  const keeper = { executions: 0, skipped: {} as Record<string, number>, usdIn: 0n, bought: 0n, burned: 0n, toTreasury: 0n };
  const buyback = () => {
    const r = executeBuyback(ledger, systemAccounts.operator);
    if (r.kind === "skipped") {
      keeper.skipped[r.reason] = (keeper.skipped[r.reason] ?? 0) + 1;
      return;
    }
    keeper.executions++;
    keeper.usdIn += r.result.amountIn;
    keeper.bought += r.result.bought;
    keeper.burned += r.result.burned;
    keeper.toTreasury += r.result.toTreasury;
    ctx.trace.emit("buyback", { usdIn: r.result.amountIn.toString(), bought: r.result.bought.toString(), burned: r.result.burned.toString() });
  };
  const training = dilocoArm(trainCtx, "training", arm);
  const done = env.event<void>("protocol done");
  env.process(
    (function* (): ProcessGenerator<void> {
      if (params.buybackEveryS > 0) {
        const every = Math.round(params.buybackEveryS * SECOND);
        while (!training.done.triggered) {
          yield env.anyOf([training.done, env.timeout(every)]);
          buyback();
        }
      } else yield training.done;
      done.succeed();
    })(),
    "protocol keeper",
  );
  const fees = () => {
    const paid = Number(ledger.escrow().paidOut / 10n ** 12n) / 1e6;
    return { paidOutUsd: paid, vaultUsd: tokens(ledger.balanceOf("BuybackVault", "USD")) };
  };
  return {
    done,
    summary: () => ({
      traces: "real",
      training: training.summary(),
      fees: fees(),
      buyback: {
        executions: keeper.executions,
        skipped: keeper.skipped,
        usdIn: tokens(keeper.usdIn),
        boughtGsn: tokens(keeper.bought),
        burnedGsn: tokens(keeper.burned),
        toTreasuryGsn: tokens(keeper.toTreasury),
      },
      supply: { burnedGsn: tokens(ledger.burned()), totalGsn: tokens(ledger.totalSupply("GSN")) },
    }),
  };
}
