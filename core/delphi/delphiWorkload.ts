// The `delphi` workload (REFERENCE §9): prediction markets settled by a verified AI judge, whose
// trading fees feed the buyback. Per market: a hidden true outcome from the run's streams; the
// creator opens a PredictionMarket (fixed-product pool over complete sets, see
// contracts/src/PredictionMarket.sol for why not LMSR) and funds it; traders with noisy private
// signals buy the outcome whose posterior most exceeds its price and sell what became overpriced,
// paying the trading fee (the protocol's share to the BuybackVault, the rest to the platform); at
// the resolution time the judge, an inference job (core/inference) of a small linear model over a
// synthetic evidence tensor correlated with the truth, runs through the protocol loop (startJob):
// sampled verifiers re-execute, a lying judge is challenged, loses the DisputeGame at the
// referee's one-op recomputation, is slashed, and the job goes to another solver; an unverified
// lie is Paid and resolves the market wrongly. The resolver posts the argmax of the Paid job's
// output with its result root; winners redeem; a keeper buys back and burns. Every money movement
// is a ledger call, so the run settles on memory or anvil to the same final state.
import { SECOND, type ProcessGenerator, type SimEvent } from "../des/index.ts";
import type { Rng } from "../des/rng.ts";
import { executeBuyback } from "../econ/buybackKeeper.ts";
import { ConfigError } from "../errors.ts";
import { defaultLedgerConfig, type LedgerConfig } from "../ledger/deployment.ts";
import { systemAccounts, type Bytes32 } from "../ledger/ledger.ts";
import { LedgerRevert } from "../ledger/ledgerRevert.ts";
import type { MemoryLedger } from "../ledger/memoryLedger.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { lyingJudge } from "../agents/lyingJudge.ts";
import type { ForwardProgram, ForwardState } from "../inference/forwardProgram.ts";
import type { Backend } from "../ml/backend.ts";
import { inferenceJobProgram } from "../inference/inferenceJob.ts";
import { startJob, type JobSettlement, type ProtocolDeps, type Provider } from "../protocol/verifiedJob.ts";
import type { RunContext } from "../run/context.ts";
import type { WorkloadRun } from "../run/workload.ts";
import { HONEST, type Solver } from "../verde/solver.ts";
import { poolPrices, posterior } from "./beliefs.ts";
import type { DelphiParams } from "./delphiParams.ts";

const usdWei = (usd: number): bigint => BigInt(Math.round(usd * 1e6)) * 10n ** 12n;
const usd = (wei: bigint): number => Number(wei / 10n ** 12n) / 1e6;
/** Judge model gain: weights = gain x identity + noise. */
const JUDGE_GAIN = 2;
/** Public calibration cases from which traders learn the judge's accuracy. */
const CALIBRATION_CASES = 32;

/** The ledger configuration a delphi run deploys (its fees go into PredictionMarket's constructor). */
export function delphiLedgerConfig(p: DelphiParams): LedgerConfig {
  return { ...defaultLedgerConfig, predictions: { feeBps: BigInt(p.tradingFeeBps), protocolShareBps: BigInt(p.protocolShareBps) } };
}

interface MarketRecord {
  id: number;
  truth: number;
  spec: Bytes32;
  spentUsd: Map<string, number>;
  volumeUsd: number;
  trades: number;
  sells: number;
  /** Price of the true outcome just before resolution. */
  truePriceAtClose: number;
  judgeJobs: number;
  lies: number;
  liesCaught: number;
  liesPaid: number;
  winner: number | null;
  /** The winner an honest judge computes from the same evidence. */
  honestJudgeOutcome: number;
  /** Winning shares held by traders of the true outcome when a lie resolved the market. */
  lossToLiesUsd: number;
  redeemedUsd: number;
}

export async function startDelphi(ctx: RunContext, p: DelphiParams, ledger: MemoryLedger, config: LedgerConfig): Promise<WorkloadRun> {
  const { env, streams, world, trace, metrics } = ctx;
  const j = p.judge;
  const nodes = world.nodes.length;
  const solverNodes = nodes - j.verifiers;
  if (solverNodes < 1) throw new ConfigError(`workload.judge.verifiers: ${j.verifiers} verifiers leave no node of ${nodes} to run the judge (add nodes or lower it)`);
  const operator = systemAccounts.operator;
  const creator = "creator";
  const account = (node: number) => `n${node}`;
  const traders = Array.from({ length: p.traders }, (_, i) => `trader${i}`);

  // Funding: stakes for every node, USD for the creator (liquidity + judge fees) and the traders.
  const stakeEach = 2n * config.market.minSolverStake;
  for (let n = 0; n < nodes; n++) {
    ledger.transfer(systemAccounts.deployer, account(n), "GSN", stakeEach + 10n * config.dispute.bond);
    ledger.stake(account(n), stakeEach);
  }
  ledger.mintUsd(systemAccounts.deployer, creator, usdWei((p.liquidityUsd + j.feeUsd * j.maxAttempts) * p.markets));
  for (const t of traders) ledger.mintUsd(systemAccounts.deployer, t, usdWei(p.tradeUsd * p.tradesPerTrader * p.markets));

  const deps: ProtocolDeps = {
    env, ledger, trace, config, blockTimeS: p.blockTimeS, reference: repopsBackend,
    computeTimeUs: (node, flops) => world.computeTimeUs(node, flops),
    send: (from, to, bytes) => world.network.send(from, to, bytes) as SimEvent<unknown>,
    moveDelayUs: Math.round(p.moveDelayS * SECOND), refereeDelayUs: Math.round(p.refereeDelayS * SECOND), crossCheck: false,
  };
  const resolveAt = ledger.now() + Math.ceil(p.resolveAfterS);

  // ---------------------------------------------------------------- the judge's job
  /** Evidence of market m: rows x outcomes, the truth's column around 1, the others around 0. */
  const judgeProgram = (m: { id: number; truth: number }, evidence: "evidence" | "calibration" = "evidence") => (backend: Backend = repopsBackend): ForwardProgram => {
    const K = p.outcomes;
    const w = new Float32Array(K * K);
    const wr = streams.stream("delphi", "judge-weights");
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) w[a * K + b] = (a === b ? JUDGE_GAIN : 0) + wr.normal(0, j.weightNoise);
    return inferenceJobProgram({
      name: `delphi/market${m.id}/judge`, task: "logits", seed: m.id, chunks: j.chunks, batch: j.rows, inDim: K, hidden: [], classes: K,
      params: new Map([["mlp.0.w", w], ["mlp.0.b", new Float32Array(K)]]),
      requests: (c) => {
        const r = streams.stream("delphi", evidence, m.id, c);
        const x = new Float32Array(j.rows * K);
        for (let i = 0; i < x.length; i++) x[i] = (i % K === m.truth ? 1 : 0) + r.normal(0, j.evidenceNoise);
        return { x, y: new Float32Array(j.rows) };
      },
    }, backend);
  };
  /** The outcome a judge's result names: argmax of its logits summed over every request. */
  const verdict = (solver: Solver): number => {
    const prog = solver.program as ForwardProgram;
    const state = solver.finalState as ForwardState;
    const sums = new Array(p.outcomes).fill(0);
    for (let c = 0; c < prog.steps; c++) {
      const row = prog.row(state, c);
      for (let i = 0; i < row.length; i++) sums[i % p.outcomes] += row[i];
    }
    let best = 0;
    for (let o = 1; o < p.outcomes; o++) if (sums[o] > sums[best]) best = o;
    return best;
  };

  // ---------------------------------------------------------------- markets
  const records: MarketRecord[] = [];
  for (let k = 0; k < p.markets; k++) {
    const truth = streams.stream("delphi", "truth", k).int(p.outcomes);
    const spec = `0x${(0xde1f_0000 + k + 1).toString(16).padStart(64, "0")}` as Bytes32;
    const id = ledger.createMarket(creator, { judgeSpec: spec, outcomes: p.outcomes, resolveAt, liquidity: usdWei(p.liquidityUsd) });
    const rec: MarketRecord = {
      id, truth, spec, spentUsd: new Map(), volumeUsd: 0, trades: 0, sells: 0, truePriceAtClose: 0, judgeJobs: 0, lies: 0, liesCaught: 0, liesPaid: 0,
      winner: null, honestJudgeOutcome: -1, lossToLiesUsd: 0, redeemedUsd: 0,
    };
    records.push(rec);
    trace.emit("delphi.market", { market: id, outcomes: p.outcomes, resolveAt, truth });
  }

  // ---------------------------------------------------------------- traders
  // Traders price what the JUDGE will say, not the truth: they know the judge model's accuracy a
  // from public calibration cases (the honest judge on fresh evidence with known truths), and
  // believe P(judge says o) = a * post(o) + (1 - a) * (1 - post(o)) / (n - 1).
  let calibratedRight = 0;
  for (let k = 0; k < CALIBRATION_CASES; k++) {
    const truth = streams.stream("delphi", "calibration-truth", k).int(p.outcomes);
    if (verdictOf(judgeProgram({ id: 1_000_000 + k, truth }, "calibration")()) === truth) calibratedRight++;
  }
  const judgeAccuracy = calibratedRight / CALIBRATION_CASES;
  const aboutJudge = (post: number[]) => post.map((q) => judgeAccuracy * q + ((1 - judgeAccuracy) * (1 - q)) / (p.outcomes - 1));
  const threshold = p.tradingFeeBps / 10_000 + 0.02;
  function* traderIn(t: string, m: MarketRecord, rng: Rng): ProcessGenerator<void> {
    const signal = Array.from({ length: p.outcomes }, (_, o) => (o === m.truth ? 1 : 0) + rng.normal(0, p.signalNoise));
    const belief = aboutJudge(posterior(signal, p.signalNoise));
    const times = Array.from({ length: p.tradesPerTrader }, () => rng.uniform(0, p.resolveAfterS)).sort((a, b) => a - b);
    let last = 0;
    for (const at of times) {
      yield env.timeout(Math.round((at - last) * SECOND));
      last = at;
      if (ledger.now() >= resolveAt) return;
      const price = poolPrices(ledger.predictionMarket(m.id).pool);
      let best = 0;
      for (let o = 1; o < p.outcomes; o++) if (belief[o] - price[o] > belief[best] - price[best]) best = o;
      const edge = belief[best] - price[best];
      try {
        if (edge > threshold) {
          const amount = p.tradeUsd * Math.min(1, edge * 4);
          ledger.buyShares(t, m.id, best, usdWei(amount), 0n);
          m.spentUsd.set(t, (m.spentUsd.get(t) ?? 0) + amount);
          m.volumeUsd += amount;
          m.trades++;
          continue;
        }
        // Sell a third of a holding whose price rose above the trader's belief.
        for (let o = 0; o < p.outcomes; o++) {
          const held = ledger.sharesOf(t, m.id, o);
          if (held === 0n || price[o] <= belief[o] + threshold) continue;
          const back = (BigInt(Math.floor(price[o] * 1e6)) * (held / 3n)) / 1_000_000n;
          if (back === 0n) continue;
          ledger.sellShares(t, m.id, o, back, held);
          m.spentUsd.set(t, (m.spentUsd.get(t) ?? 0) - usd(back) * (1 - p.tradingFeeBps / 10_000));
          m.volumeUsd += usd(back);
          m.sells++;
          break;
        }
      } catch (err) {
        // A trade the pool cannot fill (or a sell beyond what is held after rounding) reverts and changes nothing.
        if (!(err instanceof LedgerRevert)) throw err;
        trace.emit("delphi.trade.reverted", { market: m.id, trader: t, error: err.errorName });
      }
    }
  }
  for (const m of records) for (const t of traders) env.process(traderIn(t, m, streams.stream("delphi", "trader", t, m.id)), `${t} in market ${m.id}`);

  // ---------------------------------------------------------------- resolution
  const provider = (node: number, behaviour = HONEST): Provider => ({ account: account(node), nodeId: node, backend: repopsBackend, behaviour });
  const verifierNodes = Array.from({ length: j.verifiers }, (_, k) => solverNodes + k);
  function* resolveMarket(m: MarketRecord): ProcessGenerator<void> {
    yield env.timeout(Math.max(0, (resolveAt - ledger.now()) * SECOND));
    m.truePriceAtClose = poolPrices(ledger.predictionMarket(m.id).pool)[m.truth];
    const rng = streams.stream("delphi", "judge", m.id);
    for (let attempt = 0; attempt < j.maxAttempts && m.winner === null; attempt++) {
      const program = judgeProgram(m);
      // The next node in turn whose stake still qualifies (a slashed liar may fall below the minimum).
      const solverNode = Array.from({ length: solverNodes }, (_, k) => (m.id + attempt + k) % solverNodes)
        .find((n) => ledger.stakeOf(account(n)) >= config.market.minSolverStake);
      if (solverNode === undefined) {
        trace.emit("delphi.unresolved", { market: m.id, reason: "no solver with the minimum stake" });
        return;
      }
      const lies = rng.bernoulli(j.lyingRate);
      const honestOutcome = verdictOf(program());
      if (m.honestJudgeOutcome < 0) m.honestJudgeOutcome = honestOutcome;
      const wrong = (honestOutcome + 1 + rng.int(p.outcomes - 1)) % p.outcomes;
      const behaviour = lies ? lyingJudge({ program: program(), outcome: wrong, outcomes: p.outcomes }) : HONEST;
      const checks = verifierNodes.map(() => rng.bernoulli(j.verificationRate));
      const handle = startJob(deps, {
        name: `delphi/market${m.id}/judge${attempt}`, submitter: creator, fee: usdWei(j.feeUsd), specHash: m.spec,
        program, solver: provider(solverNode, behaviour), verifiers: verifierNodes.map((n) => provider(n)), checks,
      });
      m.judgeJobs++;
      if (lies) m.lies++;
      const settled: JobSettlement = yield handle.settled;
      if (settled.end === "rejected") {
        if (lies) m.liesCaught++;
        trace.emit("delphi.judge.rejected", { market: m.id, job: handle.jobId, lied: lies });
        continue;
      }
      if (lies) m.liesPaid++;
      const winner = verdict(handle.committed.value);
      ledger.resolveMarket(operator, m.id, handle.jobId, settled.root, winner);
      m.winner = winner;
      trace.emit("delphi.resolved", { market: m.id, job: handle.jobId, winner, truth: m.truth, lied: lies });
      if (winner !== m.truth) for (const t of traders) m.lossToLiesUsd += lies ? usd(ledger.sharesOf(t, m.id, m.truth)) : 0;
      for (const a of [...traders, creator]) {
        const got = ledger.redeem(a, m.id);
        if (a !== creator) m.redeemedUsd += usd(got);
      }
    }
  }
  /** The honest judge's verdict on a program (what a correct resolution from this evidence is). */
  function verdictOf(program: ForwardProgram): number {
    let s = program.initialState();
    for (let c = 0; c < program.steps; c++) s = program.step(s, c);
    return verdict({ program, finalState: s } as unknown as Solver);
  }
  const resolutions = records.map((m) => env.process(resolveMarket(m), `resolve market ${m.id}`));
  const allResolved = env.allOf(resolutions);

  // ---------------------------------------------------------------- keeper
  const keeper = { executions: 0, usdIn: 0n, bought: 0n, burned: 0n };
  const buyback = () => {
    const r = executeBuyback(ledger, operator);
    if (r.kind === "skipped") return;
    keeper.executions++;
    keeper.usdIn += r.result.amountIn;
    keeper.bought += r.result.bought;
    keeper.burned += r.result.burned;
    trace.emit("buyback", { usdIn: r.result.amountIn.toString(), bought: r.result.bought.toString(), burned: r.result.burned.toString() });
    metrics.record("delphi.burnedGsn", usd(ledger.burned()));
  };
  const done = env.event<void>("delphi done");
  let endedUs = 0;
  env.process(
    (function* (): ProcessGenerator<void> {
      if (p.buybackEveryS > 0) {
        const every = Math.round(p.buybackEveryS * SECOND);
        while (!allResolved.triggered) {
          yield env.anyOf([allResolved, env.timeout(every)]);
          buyback();
        }
      } else yield allResolved;
      endedUs = env.now;
      done.succeed();
    })(),
    "delphi keeper",
  );

  const sum = (f: (m: MarketRecord) => number) => records.reduce((s, m) => s + f(m), 0);
  const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    done,
    summary: () => {
      const fees = ledger.predictionFees();
      const resolved = records.filter((m) => m.winner !== null);
      const honestResolved = resolved.filter((m) => m.liesPaid === 0);
      const days = endedUs / (86_400 * SECOND);
      const traderPnl = sum((m) => m.redeemedUsd - [...m.spentUsd.values()].reduce((a, b) => a + b, 0));
      let slashed = 0n;
      for (let n = 0; n < nodes; n++) slashed += stakeEach - ledger.stakeOf(account(n));
      return {
        markets: records.length,
        resolved: resolved.length,
        trades: sum((m) => m.trades),
        sells: sum((m) => m.sells),
        volumeUsd: round6(sum((m) => m.volumeUsd)),
        fees: { chargedUsd: usd(fees.charged), toVaultUsd: usd(fees.toVault), toPlatformUsd: usd(fees.toPlatform) },
        judge: {
          jobs: sum((m) => m.judgeJobs),
          lies: sum((m) => m.lies),
          liesCaught: sum((m) => m.liesCaught),
          liesPaid: sum((m) => m.liesPaid),
          /** Resolutions by an honest judge equal to the truth / honest resolutions (the model's accuracy on this evidence). */
          /** The honest judge's accuracy on the public calibration cases (what traders price in). */
          calibratedAccuracy: round6(judgeAccuracy),
          honestAccuracy: honestResolved.length ? round6(honestResolved.filter((m) => m.winner === m.truth).length / honestResolved.length) : null,
          slashedGsn: usd(slashed),
        },
        wrongResolutions: resolved.filter((m) => m.winner !== m.truth).length,
        /** Wrong resolutions that a lie caused (the honest judge would have named another outcome). */
        wrongByLie: resolved.filter((m) => m.liesPaid > 0 && m.winner !== m.honestJudgeOutcome).length,
        lossToLiesUsd: round6(sum((m) => m.lossToLiesUsd)),
        traderPnlUsd: round6(traderPnl),
        truePriceAtClose: records.length ? round6(sum((m) => m.truePriceAtClose) / records.length) : 0,
        collateralLeftUsd: usd(ledger.balanceOf("PredictionMarket", "USD")),
        buyback: { executions: keeper.executions, usdIn: usd(keeper.usdIn), boughtGsn: usd(keeper.bought), burnedGsn: usd(keeper.burned) },
        burnPerDayGsn: days > 0 ? round6(usd(keeper.burned) / days) : 0,
        ledger: { escrowHeldUsd: usd(ledger.escrow().escrowed), bondsHeldGsn: usd(ledger.bondsHeld()), vaultUsd: usd(ledger.balanceOf("BuybackVault", "USD")) },
      };
    },
  };
}
