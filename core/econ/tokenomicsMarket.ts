// The token economy of one run, stepped tick by tick on the in-memory ledger (core/ledger: the
// contracts' rules exactly): fair price and regimes, arbitrage through ConstantProductPool,
// protocol fees into BuybackVault, guarded buybacks, staking rewards and treasury spending.
// Token supply is checked for exact conservation after every tick (REFERENCE §9).
import { ConfigError } from "../errors.ts";
import { pow } from "../des/math.ts";
import type { RngStreams } from "../des/rng.ts";
import { defaultLedgerConfig, MAX_SUPPLY, MAX_UINT256, MemoryLedger, type LedgerConfig } from "../ledger/index.ts";
import { amountInFor, executeBuyback } from "./buybackKeeper.ts";
import { FairPrice } from "./fairPrice.ts";
import { JobDemand } from "./jobDemand.ts";
import { MarketRegime } from "./marketRegime.ts";
import type { TokenomicsParams } from "./tokenomicsParams.ts";
import { assertConserved, ECON_ACCOUNTS as A } from "./tokenSupply.ts";
import { BPS, fromWei, sqrtWei, toBps, toWei, WAD } from "./wei.ts";

export const DAY_US = 86_400_000_000;
/** Runway reported when the treasury's inflow covers its spending. */
export const RUNWAY_CAP_YEARS = 100;
const DEPLOYER = "deployer";

/** One day's end-of-day state, in whole tokens / stable (floats for metrics). */
export interface DayRecord {
  day: number;
  price: number;
  fairPrice: number;
  totalSupply: number;
  burned: number;
  treasury: number;
  treasuryValue: number;
  staked: number;
  circulating: number;
  pool: number;
  emissions: number;
  fees: number;
  buyback: number;
  runwayYears: number;
  stakingYield: number;
}

export interface BuybackTotals {
  feesIn: bigint;
  stableSpent: bigint;
  bought: bigint;
  executor: bigint;
  burned: bigint;
  treasury: bigint;
  executions: number;
  skippedTwap: number;
  limitedBySlippage: number;
  limitedByCap: number;
}

/** The ledger deployment for these parameters (REFERENCE §9 numbers as bps and wei). */
export function ledgerConfigOf(p: TokenomicsParams): LedgerConfig {
  const d = defaultLedgerConfig;
  return {
    ...d,
    staking: { unstakeDelay: p.staking.unstakeDelayDays * 86_400 },
    pool: { feeBps: BigInt(p.pool.feeBps), seedGsn: toWei(p.pool.tokenLiquidity, "workload.pool.tokenLiquidity"), seedUsd: toWei(p.pool.tokenLiquidity * p.pool.initialPrice, "workload.pool stable side") },
    vault: {
      executorRewardBps: toBps(p.buyback.executorShare, "workload.buyback.executorShare"),
      burnBps: toBps(p.buyback.burnShare, "workload.buyback.burnShare"),
      maxSlippageBps: toBps(p.buyback.maxSlippage, "workload.buyback.maxSlippage"),
      dailyCap: p.buyback.dailyCap > 0 ? toWei(p.buyback.dailyCap, "workload.buyback.dailyCap") : MAX_UINT256,
      twapWindow: p.buyback.twapWindowSeconds,
      maxTwapDeviationBps: toBps(p.buyback.maxTwapDeviation, "workload.buyback.maxTwapDeviation"),
    },
  };
}

export class TokenomicsMarket {
  readonly ledger: MemoryLedger;
  readonly regime: MarketRegime;
  readonly fair: FairPrice;
  readonly demand: JobDemand;
  readonly tickUs: number;
  readonly execEvery: number;
  readonly totals: BuybackTotals = {
    feesIn: 0n, stableSpent: 0n, bought: 0n, executor: 0n, burned: 0n, treasury: 0n,
    executions: 0, skippedTwap: 0, limitedBySlippage: 0, limitedByCap: 0,
  };
  /** Virtual time (microseconds) the ledger's clock follows. */
  private nowUs = 0;
  private todayFees = 0;
  private todayBuyback = 0n;
  private todayTreasuryInflow = 0;
  private readonly inflowWindow: number[] = [];
  private float0 = 0n;
  treasuryDepletedDay: number | null = null;
  totalFees = 0;
  stakingRewardsPaid = 0n;

  constructor(readonly params: TokenomicsParams, streams: RngStreams) {
    const p = params;
    if (DAY_US % p.ticksPerDay !== 0) throw new ConfigError(`workload.ticksPerDay: must divide a day in whole microseconds, got ${p.ticksPerDay}`);
    if (p.ticksPerDay % p.buyback.executionsPerDay !== 0) {
      throw new ConfigError(`workload.buyback.executionsPerDay: must divide ticksPerDay (${p.ticksPerDay}), got ${p.buyback.executionsPerDay}`);
    }
    this.tickUs = DAY_US / p.ticksPerDay;
    this.execEvery = p.ticksPerDay / p.buyback.executionsPerDay;
    const config = ledgerConfigOf(p);
    this.ledger = new MemoryLedger(config, { clock: () => config.genesisTime + Math.floor(this.nowUs / 1_000_000) });
    // Genesis allocation of the deployer's supply (after the pool's seed); the rest circulates.
    const share = (s: number, where: string) => (MAX_SUPPLY * toBps(s, where)) / BPS;
    const l = this.ledger;
    const allocations: [string, bigint][] = [
      ["treasury", share(p.token.treasuryShare, "workload.token.treasuryShare")],
      [A.emissions, share(p.token.emissionsShare, "workload.token.emissionsShare")],
      [A.stakers, share(p.token.stakedShare, "workload.token.stakedShare")],
    ];
    const total = allocations.reduce((a, [, v]) => a + v, 0n);
    const left = l.balanceOf(DEPLOYER, "GSN");
    if (total > left) throw new ConfigError(`workload.token: treasury + emissions + staked shares (${fromWei(total)} tokens) exceed the ${fromWei(left)} left after seeding the pool`);
    for (const [to, amount] of allocations) if (amount > 0n) l.transfer(DEPLOYER, to, "GSN", amount);
    l.transfer(DEPLOYER, A.holders, "GSN", l.balanceOf(DEPLOYER, "GSN"));
    const initialStake = l.balanceOf(A.stakers, "GSN");
    if (initialStake > 0n) l.stake(A.stakers, initialStake);
    this.regime = new MarketRegime(p.price.regimes, streams.stream("econ", "regime"));
    this.fair = new FairPrice(
      { initialPrice: p.pool.initialPrice, shocks: p.price.shocks, shockRatePerYear: p.price.shockRatePerYear, shockLogMean: p.price.shockLogMean, shockLogSd: p.price.shockLogSd },
      this.regime, streams.stream("econ", "price"), streams.stream("econ", "shock"),
    );
    this.demand = new JobDemand(p.demand, this.regime, streams.stream("econ", "demand"));
    assertConserved(l, "genesis");
    this.float0 = this.float();
  }

  /** USD per token at the pool's spot. */
  spotPrice(): number {
    const r = this.ledger.poolReserves();
    return Number(r.usd) / Number(r.gsn);
  }

  /** Tokens in market hands: holders + executor + staked + pool. */
  float(): bigint {
    const l = this.ledger;
    return l.balanceOf(A.holders, "GSN") + l.balanceOf(A.executor, "GSN") + l.balanceOf("Staking", "GSN") + l.poolReserves().gsn;
  }

  /** The exogenous fair price scaled by the float's change since genesis (price.supplyElasticity). */
  fairPrice(): number {
    const e = this.params.price.supplyElasticity;
    const f = this.float();
    if (e === 0 || f === 0n) return this.fair.price;
    return this.fair.price * pow(Number(this.float0) / Number(f), e);
  }

  /** Start of a day: regime switch, shocks, the day's job fee volume. */
  startDay(day: number): void {
    this.regime.stepDay();
    this.fair.startDay(day);
    this.todayFees = this.demand.feesOnDay(day);
    this.totalFees += this.todayFees;
    this.todayBuyback = 0n;
    this.todayTreasuryInflow = 0;
  }

  /** One market tick at time t (tick index i within the day). */
  tick(t: number, i: number): void {
    const p = this.params;
    const l = this.ledger;
    this.nowUs = t;
    this.fair.step(1 / (365 * p.ticksPerDay));
    this.arbitrage();
    // Job submitters pay the protocol fee share of the tick's job fees into the vault.
    const fee = toWei((this.todayFees * p.fees.protocolFeeShare) / p.ticksPerDay);
    if (fee > 0n) {
      l.mintUsd(DEPLOYER, A.submitters, fee);
      l.transfer(A.submitters, "BuybackVault", "USD", fee);
      this.totals.feesIn += fee;
    }
    if ((i + 1) % this.execEvery === 0) this.buyback();
    assertConserved(l, `tick at t=${t}us`);
  }

  private buyback(): void {
    const out = executeBuyback(this.ledger, A.executor);
    const tot = this.totals;
    if (out.kind === "skipped") {
      if (out.reason === "PriceAboveTwap") tot.skippedTwap++;
      return;
    }
    const r = out.result;
    if (out.limitedByCap) tot.limitedByCap++;
    if (out.limitedBySlippage) tot.limitedBySlippage++;
    tot.stableSpent += r.amountIn;
    tot.bought += r.bought;
    tot.executor += r.executorReward;
    tot.burned += r.burned;
    tot.treasury += r.toTreasury;
    tot.executions++;
    this.todayBuyback += r.amountIn;
    if (r.bought > 0n) this.todayTreasuryInflow += fromWei(r.amountIn) * (Number(r.toTreasury) / Number(r.bought));
  }

  /** Arbitrage closes part of the log gap between pool and fair price, swapping on the pool. */
  private arbitrage(): void {
    const l = this.ledger;
    const spot = this.spotPrice();
    const target = spot * pow(this.fairPrice() / spot, this.params.price.arbitrageEfficiency);
    if (!(target > 0) || Math.abs(target / spot - 1) < 1e-9) return;
    const r = l.poolReserves();
    const k = r.usd * r.gsn;
    const targetWad = BigInt(Math.max(1, Math.round(target * 1e18)));
    if (target > spot) {
      const stableIn = sqrtWei((k * targetWad) / WAD) - r.usd;
      if (stableIn <= 0n) return;
      l.mintUsd(DEPLOYER, A.holders, stableIn);
      l.swap(A.holders, "USD", stableIn, 0n);
    } else {
      let tokenIn = sqrtWei((k * WAD) / targetWad) - r.gsn;
      const held = l.balanceOf(A.holders, "GSN");
      if (tokenIn > held) tokenIn = held;
      if (tokenIn <= 0n) return;
      l.swap(A.holders, "GSN", tokenIn, 0n);
    }
  }

  /** End of a day at time t: staking, treasury spending, the day's record. */
  endDay(t: number, day: number): DayRecord {
    const p = this.params;
    const l = this.ledger;
    this.nowUs = t;
    // Staking: withdraw unlocked unstakes, move toward the target share, pay the daily reward.
    const pending = l.pendingUnstake(A.stakers);
    if (pending.amount > 0n && l.now() >= pending.unlockAt) l.withdraw(A.stakers);
    const free = l.balanceOf(A.holders, "GSN") + l.balanceOf(A.stakers, "GSN");
    const active = l.stakeOf(A.stakers);
    const target = ((free + active) * toBps(p.staking.targetShare)) / BPS;
    const delta = ((target - active) * toBps(p.staking.adjustPerDay)) / BPS;
    if (delta > 0n) {
      const own = l.balanceOf(A.stakers, "GSN");
      if (own < delta) l.transfer(A.holders, A.stakers, "GSN", delta - own);
      l.stake(A.stakers, delta);
    } else if (delta < 0n) l.requestUnstake(A.stakers, -delta);
    const aprPpm = BigInt(Math.round(p.staking.apr * 1_000_000));
    const stakedBefore = l.stakeOf(A.stakers);
    const source = p.staking.rewardSource === "treasury" ? "treasury" : A.emissions;
    let reward = (stakedBefore * aprPpm) / (365n * 1_000_000n);
    if (reward > l.balanceOf(source, "GSN")) reward = l.balanceOf(source, "GSN");
    if (reward > 0n) {
      l.transfer(source, A.stakers, "GSN", reward);
      l.stake(A.stakers, reward); // auto-compounded
    }
    this.stakingRewardsPaid += reward;
    const stakingYield = stakedBefore > 0n ? (Number(reward) / Number(stakedBefore)) * 365 : 0;
    const rewardOutflow = source === "treasury" ? fromWei(reward) * this.spotPrice() : 0;
    // Treasury operating spend: sell treasury tokens on the pool for the day's USD spend.
    const spend = toWei(p.treasury.spendPerDay);
    const held = l.balanceOf("treasury", "GSN");
    if (spend > 0n && held > 0n) {
      const r = l.poolReserves();
      let tokenIn = amountInFor(spend, r.gsn, r.usd, l.config.pool.feeBps);
      if (tokenIn < 0n || tokenIn > held) {
        tokenIn = held;
        if (this.treasuryDepletedDay === null) this.treasuryDepletedDay = day;
      }
      const usdOut = l.swap("treasury", "GSN", tokenIn, 0n);
      l.transfer("treasury", A.operations, "USD", usdOut);
    } else if (spend > 0n && this.treasuryDepletedDay === null) this.treasuryDepletedDay = day;
    const s = assertConserved(l, `end of day ${day}`);
    // Runway: treasury value over its net outflow (30-day trailing buyback inflow).
    this.inflowWindow.push(this.todayTreasuryInflow);
    if (this.inflowWindow.length > 30) this.inflowWindow.shift();
    let inflow = 0;
    for (const x of this.inflowWindow) inflow += x;
    inflow /= this.inflowWindow.length;
    const price = this.spotPrice();
    const treasuryValue = fromWei(s.treasury) * price;
    const net = p.treasury.spendPerDay + rewardOutflow - inflow;
    const runwayYears = net > 0 ? Math.min(RUNWAY_CAP_YEARS, treasuryValue / net / 365) : RUNWAY_CAP_YEARS;
    return {
      day,
      price,
      fairPrice: this.fairPrice(),
      totalSupply: fromWei(l.totalSupply("GSN")),
      burned: fromWei(s.burned),
      treasury: fromWei(s.treasury),
      treasuryValue,
      staked: fromWei(s.staked),
      circulating: fromWei(s.circulating),
      pool: fromWei(s.pool),
      emissions: fromWei(s.emissions),
      fees: this.todayFees,
      buyback: fromWei(this.todayBuyback),
      runwayYears,
      stakingYield,
    };
  }
}
