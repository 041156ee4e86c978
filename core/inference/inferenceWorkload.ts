// The `inference` workload (REFERENCE §1, §3, §9): a stream of forward-only jobs (logits, seeded
// samples or held-out loss of the engine's MLP) on the protocol loop. Each job is priced by its
// FLOPs, served by a solver drawn from the mix (honest, lazy = truncated output, cached = the
// previous chunk's answer, wrong-op, honest on repops-fma), re-executed by each verifier with
// probability `rate`; a mismatch is a DisputeGame on the real traces ruled by the referee's one-op
// recomputation; paid jobs' protocol fees fund the keeper's buyback. Detection is the comparison
// of real hashes, never a label.
import { SECOND, type ProcessGenerator, type SimEvent } from "../des/index.ts";
import { cachedOutputs } from "../agents/cachedOutputs.ts";
import { behaviours } from "../agents/index.ts";
import { nonReproducible } from "../agents/nonReproducible.ts";
import { executeBuyback } from "../econ/buybackKeeper.ts";
import { ConfigError } from "../errors.ts";
import type { LedgerConfig } from "../ledger/deployment.ts";
import { systemAccounts } from "../ledger/ledger.ts";
import type { MemoryLedger } from "../ledger/memoryLedger.ts";
import type { Backend } from "../ml/backend.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { createRepopsVariantBackend } from "../ml/backends/repopsVariant.ts";
import { startJob, type CheckRecord, type JobSettlement, type ProtocolDeps, type Provider } from "../protocol/verifiedJob.ts";
import type { RunContext } from "../run/context.ts";
import type { WorkloadRun } from "../run/workload.ts";
import { HONEST, type Behaviour } from "../verde/solver.ts";
import { feeByFlops, inferenceJobProgram } from "./inferenceJob.ts";
import { INFERENCE_SOLVER_KINDS, type InferenceParams } from "./inferenceParams.ts";

const usd = (wei: bigint): number => Number(wei / 10n ** 12n) / 1e6;

export async function startInference(ctx: RunContext, p: InferenceParams, ledger: MemoryLedger, config: LedgerConfig): Promise<WorkloadRun> {
  const { env, streams, world, trace } = ctx;
  const nodes = world.nodes.length;
  const solverNodes = nodes - p.verifiers;
  if (solverNodes < 1) throw new ConfigError(`workload.verifiers: ${p.verifiers} verifiers leave no node of ${nodes} to solve (add nodes or lower it)`);
  const weights = INFERENCE_SOLVER_KINDS.map((k) => p.mix[k] ?? 0);
  if (!weights.some((w) => w > 0)) throw new ConfigError(`workload.mix: at least one solver kind needs a positive weight, got ${JSON.stringify(p.mix)}`);
  const fma = createRepopsVariantBackend("fma");
  const account = (n: number) => `n${n}`;
  const stakeEach = 2n * config.market.minSolverStake;
  for (let n = 0; n < nodes; n++) {
    ledger.transfer(systemAccounts.deployer, account(n), "GSN", stakeEach + 10n * config.dispute.bond);
    ledger.stake(account(n), stakeEach);
  }
  const weiPerGflop = BigInt(Math.round(p.usdPerGflop * 1e6)) * 10n ** 12n;
  const program = (seed: number) => (backend: Backend = repopsBackend) =>
    inferenceJobProgram({ task: p.task, seed, chunks: p.chunks, batch: p.batch, hidden: p.hidden, classes: p.classes, name: "inference" }, backend);
  const fees = Array.from({ length: p.jobs }, (_, i) => feeByFlops(program(i + 1)(), weiPerGflop));
  ledger.mintUsd(systemAccounts.deployer, "submitter", fees.reduce((a, b) => a + b, 0n));

  const deps: ProtocolDeps = {
    env, ledger, trace, config, blockTimeS: p.blockTimeS, reference: repopsBackend,
    computeTimeUs: (node, flops) => world.computeTimeUs(node, flops),
    send: (from, to, bytes) => world.network.send(from, to, bytes) as SimEvent<unknown>,
    moveDelayUs: Math.round(p.moveDelayS * SECOND), refereeDelayUs: Math.round(p.refereeDelayS * SECOND), crossCheck: false,
  };
  const verifierNodes = Array.from({ length: p.verifiers }, (_, k) => solverNodes + k);
  const rows: { kind: string; honest: boolean; checks: CheckRecord[]; settlement: JobSettlement; flops: number }[] = [];

  function* job(i: number): ProcessGenerator<void> {
    yield env.timeout(Math.round(i * p.everyS * SECOND));
    const rng = streams.stream("inference", "job", i);
    const kind = INFERENCE_SOLVER_KINDS[rng.weighted(weights)];
    const prog = program(i + 1);
    let behaviour: Behaviour = HONEST;
    let backend: Backend = repopsBackend;
    if (kind === "lazy" || kind === "wrong-op") behaviour = behaviours(kind, prog(), rng)[0];
    if (kind === "cached") behaviour = cachedOutputs({ program: prog(), from: 1 + rng.int(p.chunks - 1) });
    if (kind === "repops-fma") [behaviour, backend] = [nonReproducible(fma.name), fma];
    // The next solver in turn whose stake still qualifies (slashed liars fall below the minimum).
    const node = Array.from({ length: solverNodes }, (_, k) => (i + k) % solverNodes).find((n) => ledger.stakeOf(account(n)) >= config.market.minSolverStake);
    if (node === undefined) {
      trace.emit("inference.unassigned", { job: i, reason: "no solver with the minimum stake" });
      return;
    }
    const solver: Provider = { account: account(node), nodeId: node, backend, behaviour };
    const handle = startJob(deps, {
      name: `inference/job${i}`, submitter: "submitter", fee: fees[i], specHash: `0x${(0x1f0000 + i + 1).toString(16).padStart(64, "0")}`,
      program: prog, solver, verifiers: verifierNodes.map((n) => ({ account: account(n), nodeId: n, backend: repopsBackend, behaviour: HONEST })),
      checks: verifierNodes.map(() => rng.bernoulli(p.rate)),
    });
    const settlement: JobSettlement = yield handle.settled;
    rows.push({ kind, honest: kind === "honest", checks: handle.verified.value, settlement, flops: prog().stepFlops(0) * p.chunks });
  }
  const all = env.allOf(Array.from({ length: p.jobs }, (_, i) => env.process(job(i), `inference job ${i}`)));

  const keeper = { executions: 0, burned: 0n };
  const done = env.event<void>("inference done");
  env.process(
    (function* (): ProcessGenerator<void> {
      const every = Math.round(p.buybackEveryS * SECOND);
      while (p.buybackEveryS > 0 && !all.triggered) {
        yield env.anyOf([all, env.timeout(every)]);
        const r = executeBuyback(ledger, systemAccounts.operator);
        if (r.kind === "bought") {
          keeper.executions++;
          keeper.burned += r.result.burned;
        }
      }
      if (!all.triggered) yield all;
      done.succeed();
    })(),
    "inference keeper",
  );

  return {
    done,
    summary: () => {
      const by: Record<string, { jobs: number; paid: number; rejected: number }> = {};
      for (const r of rows) {
        const b = (by[r.kind] ??= { jobs: 0, paid: 0, rejected: 0 });
        b.jobs++;
        b[r.settlement.end === "paid" ? "paid" : "rejected"]++;
      }
      const disputes = rows.flatMap((r) => r.checks.filter((c) => c.dispute !== null).map((c) => ({ honest: r.honest, d: c.dispute! })));
      return {
        traces: "real",
        jobs: rows.length,
        byKind: by,
        /** Jobs whose solver deviated (any kind but honest) and were paid: lies that reached payout. */
        dishonestPaid: rows.filter((r) => !r.honest && r.settlement.end === "paid").length,
        dishonestChecked: rows.filter((r) => !r.honest && r.checks.length > 0).length,
        /** Checked deviating jobs that were paid anyway (0: every checked lie was caught). */
        checkedDishonestPaid: rows.filter((r) => !r.honest && r.checks.length > 0 && r.settlement.end === "paid").length,
        honestRejected: rows.filter((r) => r.honest && r.settlement.end === "rejected").length,
        disputes: disputes.length,
        refereeRulingsNotOneOp: disputes.filter((x) => x.d.reason === "referee" && x.d.refereeOps !== 1).length,
        honestLostDisputes: disputes.filter((x) => x.honest && x.d.outcome !== "DefenderWon").length,
        totalFlops: rows.reduce((s, r) => s + r.flops, 0),
        feesPaidUsd: usd(ledger.escrow().paidOut),
        protocolFeeUsd: usd(rows.reduce((s, r) => s + (r.settlement.payout?.protocolFee ?? 0n), 0n)),
        buyback: { executions: keeper.executions, burnedGsn: usd(keeper.burned) },
        ledger: { escrowHeldUsd: usd(ledger.escrow().escrowed), bondsHeldGsn: usd(ledger.bondsHeld()) },
      };
    },
  };
}
