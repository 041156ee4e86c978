// The `market` workload: submitter, solver and verifier agents on the kernel drive the Ledger
// port through whole jobs (REFERENCE §1) while a keeper runs the buyback (REFERENCE §9). The
// ledger is the run's settlement (memory, or anvil through sim/chain); done when every job ended.
import { SECOND, type ProcessGenerator } from "../des/index.ts";
import { ConfigError } from "../errors.ts";
import { crossCheckOn, toWei } from "./marketParams.ts";
import { defaultLedgerConfig, type LedgerConfig } from "../ledger/deployment.ts";
import { systemAccounts, type Ledger } from "../ledger/ledger.ts";
import { LedgerRevert } from "../ledger/ledgerRevert.ts";
import { MemoryLedger } from "../ledger/memoryLedger.ts";
import type { RunContext } from "../run/context.ts";
import type { Workload, WorkloadRun } from "../run/workload.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import type { Backend } from "../ml/backend.ts";
import { kernelFor, loadKernels } from "../protocol/kernelsByHardware.ts";
import type { ProtocolDeps } from "../protocol/verifiedJob.ts";
import { assignRoles, type MarketRoles } from "./marketAgents.ts";
import type { JobDeps, JobRecord } from "./marketJob.ts";
import { marketJobProgram } from "./marketJobProgram.ts";
import type { MarketParams } from "./marketParams.ts";
import { summarizeMarket } from "./marketSummary.ts";
import { realJob } from "./realJob.ts";
import { syntheticJob } from "./syntheticJob.ts";

/** Funds and stakes every agent at time 0: GSN for stake plus bonds, USD for submitters. */
function fund(ledger: Ledger, deps: JobDeps): void {
  const stake = toWei(deps.params.stakeGsn, "workload.stakeGsn");
  const bonds = deps.config.dispute.bond * 10n;
  for (const a of [...deps.roles.solvers, ...deps.roles.verifiers]) {
    ledger.transfer(systemAccounts.deployer, a.account, "GSN", stake + bonds);
    ledger.stake(a.account, stake);
  }
  const usd = toWei(deps.params.submitterUsd, "workload.submitterUsd");
  for (const s of deps.roles.submitters) ledger.mintUsd(systemAccounts.deployer, s.account, usd);
}

interface KeeperStats {
  buybacks: number;
  skipped: number;
}

/** One buyback: the vault's USD fees, within the daily cap, swapped for GSN; burn and treasury follow. */
function buybackOnce(deps: JobDeps, stats: KeeperStats): void {
  const { ledger, config } = deps;
  const fees = ledger.balanceOf("BuybackVault", "USD");
  const { day, spent } = ledger.vaultDay();
  const today = Math.floor(ledger.now() / 86_400);
  const room = config.vault.dailyCap - (day === today ? spent : 0n);
  const amount = fees < room ? fees : room;
  if (amount <= 0n) return;
  try {
    const r = ledger.buyback(systemAccounts.operator, amount);
    stats.buybacks++;
    deps.trace.emit("buyback", { usdIn: r.amountIn.toString(), bought: r.bought.toString(), burned: r.burned.toString() });
  } catch (err) {
    if (!(err instanceof LedgerRevert)) throw err;
    stats.skipped++; // e.g. SlippageExceeded on a thin pool: the keeper tries again later
    deps.trace.emit("buyback.skipped", { reason: err.errorName });
  }
}

/** The keeper process: a buyback every `everyUs`. */
function* buybackKeeper(deps: JobDeps, everyUs: number, stats: KeeperStats): ProcessGenerator<void> {
  for (;;) {
    yield deps.env.timeout(everyUs);
    buybackOnce(deps, stats);
  }
}

/** Starts the market on `ledger` (its config gives the window, stakes and bond the agents respect). */
export function startMarket(ctx: RunContext, params: MarketParams, ledger: Ledger, config: LedgerConfig, kernels: ReadonlyMap<string, Backend> = new Map([["repops", repopsBackend]])): WorkloadRun & { roles: MarketRoles } {
  const roles = assignRoles(ctx.world, params, ctx.streams.stream("market", "roles"));
  const deps: JobDeps = {
    env: ctx.env,
    world: ctx.world,
    ledger,
    trace: ctx.trace,
    metrics: ctx.metrics,
    params,
    config,
    roles,
    runSeed: ctx.streams.seed,
    rng: ctx.streams.stream("market", "jobs"),
  };
  fund(ledger, deps);
  const crossCheck = params.traces === "real" && crossCheckOn(params);
  ctx.trace.emit("market.start", { traces: params.traces, crossCheck, adversary: params.adversary, verifySampleFraction: params.verifySampleFraction });
  const protocol = params.traces === "real" ? protocolDeps(ctx, params, ledger, config, crossCheck) : null;
  // Each provider computes on its hardware's kernels (backendByHardware; default RepOps everywhere,
  // so honest re-executions reproduce bit for bit; REFERENCE §2).
  const kernelOf = (node: number) => kernelFor(params.backendByHardware, kernels, ctx.world.node(node).hardware.name, repopsBackend);
  const job = (i: number) => (protocol !== null ? realJob(deps, protocol, kernelOf, i) : syntheticJob(deps, i));
  const records: JobRecord[] = [];
  const done = ctx.env.event<number>("market done");
  const keeper = { buybacks: 0, skipped: 0 };
  const env = ctx.env;
  env.process(
    (function* (): ProcessGenerator<void> {
      const arrivals = ctx.streams.stream("market", "arrivals");
      for (let i = 0; i < params.jobs; i++) {
        yield env.timeout(Math.round(arrivals.exponential(params.meanInterarrivalS) * SECOND));
        const proc = env.process(job(i), `job ${i}`);
        proc.addCallback(() => {
          records.push(proc.value);
          if (records.length < params.jobs) return;
          if (params.buybackEveryS > 0) buybackOnce(deps, keeper); // the last fees go to the vault too
          done.succeed(records.length);
        });
      }
    })(),
    "market job source",
  );
  if (params.buybackEveryS > 0) env.process(buybackKeeper(deps, Math.round(params.buybackEveryS * SECOND), keeper), "buyback keeper");
  return { done, roles, summary: () => summarizeMarket(ledger, roles, records, keeper, { params, crossCheck }) };
}

/**
 * core/protocol's dependencies for the market's real jobs: compute time scales the proxy
 * program's FLOPs to `flopsPerStep` per step on the node's hardware; the commitment travels the
 * world's network; disputes use the market's move and referee delays.
 */
function protocolDeps(ctx: RunContext, params: MarketParams, ledger: Ledger, config: LedgerConfig, crossCheck: boolean): ProtocolDeps {
  const proxyStepFlops = marketJobProgram(0, 0, params.steps).on(repopsBackend).stepFlops(0);
  const scale = params.flopsPerStep / proxyStepFlops;
  return {
    env: ctx.env, ledger, trace: ctx.trace, config, blockTimeS: params.blockTimeS, reference: repopsBackend,
    computeTimeUs: (node, flops) => ctx.world.computeTimeUs(node, Math.max(1, Math.round(flops * scale))),
    send: (from, to, bytes) => ctx.world.network.send(from, to, bytes),
    moveDelayUs: Math.round(params.moveDelayS * SECOND), refereeDelayUs: Math.round(params.refereeDelayS * SECOND), crossCheck,
  };
}

/** Chain time (seconds) at virtual time `nowUs`: genesis + virtual time rounded down to the block time. */
export function chainTimeAt(nowUs: number, config: LedgerConfig, blockTimeS: number): number {
  return config.genesisTime + blockTimeS * Math.floor(nowUs / (blockTimeS * SECOND));
}

/** The in-memory ledger whose chain time follows the kernel (chainTimeAt). */
export function kernelMemoryLedger(ctx: RunContext, config: LedgerConfig = defaultLedgerConfig, blockTimeS = 1): MemoryLedger {
  return new MemoryLedger(config, { clock: () => chainTimeAt(ctx.env.now, config, blockTimeS) });
}

/** startMarket with the kernels its backendByHardware names loaded first. */
export async function startMarketLoaded(ctx: RunContext, params: MarketParams, ledger: Ledger, config: LedgerConfig): Promise<WorkloadRun & { roles: MarketRoles }> {
  return startMarket(ctx, params, ledger, config, await loadKernels(params.backendByHardware, "workload.backendByHardware"));
}

/** The market on the embedded in-memory ledger (sim/chain's entry adds anvil settlement). */
export const marketWorkload: Workload<MarketParams> = {
  kind: "market",
  start(ctx: RunContext, params: MarketParams): WorkloadRun {
    if (ctx.settle !== "memory") throw new ConfigError(`core marketWorkload settles in memory only, got settle: ${ctx.settle} (use the registered market entry)`);
    return startMarket(ctx, params, kernelMemoryLedger(ctx, defaultLedgerConfig, params.blockTimeS), defaultLedgerConfig);
  },
};
