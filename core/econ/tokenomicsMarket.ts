// The token economy of one run, stepped tick by tick: fair price and regimes, arbitrage on the
// pool, protocol fees into the BuybackVault, guarded buybacks, staking and treasury spending.
// All token amounts are exact wei in a SupplyBook; conservation is checked after every step.
import { ConfigError, ProtocolError } from "../errors.ts";
import { pow } from "../des/math.ts";
import type { RngStreams } from "../des/rng.ts";
import { amountIn, ConstantProductPool } from "./constantProductPool.ts";
import { BuybackVault } from "./buybackVault.ts";
import { FairPrice } from "./fairPrice.ts";
import { JobDemand } from "./jobDemand.ts";
import { MarketRegime } from "./marketRegime.ts";
import { SupplyBook } from "./supplyBook.ts";
import type { TokenomicsParams } from "./tokenomicsParams.ts";
import { BPS, fromWei, sqrtWei, toBps, toWei, WAD } from "./wei.ts";

export const DAY_US = 86_400_000_000;
/** Runway reported when the treasury's inflow covers its spending. */
export const RUNWAY_CAP_YEARS = 100;

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

export class TokenomicsMarket {
  readonly book: SupplyBook;
  readonly pool: ConstantProductPool;
  readonly vault: BuybackVault;
  readonly regime: MarketRegime;
  readonly fair: FairPrice;
  readonly demand: JobDemand;
  readonly tickUs: number;
  readonly execEvery: number;
  private todayFees = 0;
  private todayProtocolFees = 0n;
  private todayBuyback = 0n;
  private todayTreasuryInflow = 0;
  private readonly inflowWindow: number[] = [];
  treasuryDepletedDay: number | null = null;
  private float0 = 0n;
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
    const minted = toWei(p.token.totalSupply, "workload.token.totalSupply");
    const share = (s: number, where: string) => (minted * toBps(s, where)) / BPS;
    const poolTokens = toWei(p.pool.tokenLiquidity, "workload.pool.tokenLiquidity");
    this.book = new SupplyBook(minted, {
      treasury: share(p.token.treasuryShare, "workload.token.treasuryShare"),
      emissions: share(p.token.emissionsShare, "workload.token.emissionsShare"),
      staked: share(p.token.stakedShare, "workload.token.stakedShare"),
      pool: poolTokens,
    });
    const poolStable = toWei(p.pool.tokenLiquidity * p.pool.initialPrice, "workload.pool stable side");
    this.pool = new ConstantProductPool(poolTokens, poolStable, BigInt(p.pool.feeBps));
    this.vault = new BuybackVault(
      { executorBps: toBps(p.buyback.executorShare, "workload.buyback.executorShare"), burnBps: toBps(p.buyback.burnShare, "workload.buyback.burnShare") },
      {
        twapWindowUs: p.buyback.twapWindowSeconds * 1_000_000,
        maxTwapDeviationBps: toBps(p.buyback.maxTwapDeviation, "workload.buyback.maxTwapDeviation"),
        maxSlippageBps: toBps(p.buyback.maxSlippage, "workload.buyback.maxSlippage"),
        dailyCapStable: toWei(p.buyback.dailyCap, "workload.buyback.dailyCap"),
      },
    );
    this.regime = new MarketRegime(p.price.regimes, streams.stream("econ", "regime"));
    this.fair = new FairPrice(
      { initialPrice: p.pool.initialPrice, shocks: p.price.shocks, shockRatePerYear: p.price.shockRatePerYear, shockLogMean: p.price.shockLogMean, shockLogSd: p.price.shockLogSd },
      this.regime, streams.stream("econ", "price"), streams.stream("econ", "shock"),
    );
    this.demand = new JobDemand(p.demand, this.regime, streams.stream("econ", "demand"));
    this.checkBooks("genesis");
    this.float0 = this.float();
  }

  /** Tokens in market hands: circulating + staked + pool. */
  float(): bigint {
    return this.book.get("circulating") + this.book.get("staked") + this.book.get("pool");
  }

  /** The exogenous fair price scaled by the float's change since genesis (price.supplyElasticity). */
  fairPrice(): number {
    const e = this.params.price.supplyElasticity;
    if (e === 0) return this.fair.price;
    const f = this.float();
    if (f === 0n) return this.fair.price;
    return this.fair.price * pow(Number(this.float0) / Number(f), e);
  }

  /** Start of a day: regime switch, shocks, the day's job fee volume. */
  startDay(day: number): void {
    this.regime.stepDay();
    this.fair.startDay(day);
    this.todayFees = this.demand.feesOnDay(day);
    this.totalFees += this.todayFees;
    this.todayProtocolFees = 0n;
    this.todayBuyback = 0n;
    this.todayTreasuryInflow = 0;
  }

  /** One market tick at time t (tick index i within the day). */
  tick(t: number, i: number): void {
    const p = this.params;
    this.fair.step(1 / (365 * p.ticksPerDay));
    this.arbitrage(t);
    const fee = toWei((this.todayFees * p.fees.protocolFeeShare) / p.ticksPerDay);
    this.vault.depositFee(fee);
    this.todayProtocolFees += fee;
    if ((i + 1) % this.execEvery === 0) {
      const ex = this.vault.execute(t, this.pool, this.book);
      if (ex !== null) {
        this.todayBuyback += ex.stableIn;
        if (ex.bought > 0n) this.todayTreasuryInflow += fromWei(ex.stableIn) * (Number(ex.treasury) / Number(ex.bought));
      }
    }
    this.checkBooks(`tick at t=${t}us`);
  }

  /** Conservation, and the pool bucket mirrors the pool's token reserve. */
  checkBooks(where: string): void {
    this.book.assertConserved(where);
    if (this.book.get("pool") !== this.pool.tokenReserve) {
      throw new ProtocolError(`${where}: pool bucket ${this.book.get("pool")} != pool token reserve ${this.pool.tokenReserve}`);
    }
  }

  /** Arbitrage closes part of the log gap between pool and fair price, trading through the pool. */
  private arbitrage(t: number): void {
    const spot = this.pool.spotPrice();
    const target = spot * pow(this.fairPrice() / spot, this.params.price.arbitrageEfficiency);
    if (!(target > 0) || Math.abs(target / spot - 1) < 1e-9) return;
    const k = this.pool.stableReserve * this.pool.tokenReserve;
    const targetWad = BigInt(Math.max(1, Math.round(target * 1e18)));
    if (target > spot) {
      const stableIn = sqrtWei((k * targetWad) / WAD) - this.pool.stableReserve;
      if (stableIn <= 0n) return;
      const out = this.pool.swapStableForToken(t, stableIn);
      this.book.move("pool", "circulating", out, "arbitrage buy");
    } else {
      let tokenIn = sqrtWei((k * WAD) / targetWad) - this.pool.tokenReserve;
      const held = this.book.get("circulating");
      if (tokenIn > held) tokenIn = held;
      if (tokenIn <= 0n) return;
      this.pool.swapTokenForStable(t, tokenIn);
      this.book.move("circulating", "pool", tokenIn, "arbitrage sell");
    }
  }

  /** End of a day at time t: staking, treasury spending, the day's record. */
  endDay(t: number, day: number): DayRecord {
    const p = this.params;
    const book = this.book;
    // Staking: move toward the target share, then pay the daily reward (auto-compounded).
    const circ = book.get("circulating");
    const staked = book.get("staked");
    const target = ((circ + staked) * toBps(p.staking.targetShare)) / BPS;
    const delta = ((target - staked) * toBps(p.staking.adjustPerDay)) / BPS;
    if (delta > 0n) book.move("circulating", "staked", delta, "stake");
    else if (delta < 0n) book.move("staked", "circulating", -delta, "unstake");
    const aprPpm = BigInt(Math.round(p.staking.apr * 1_000_000));
    let reward = (book.get("staked") * aprPpm) / (365n * 1_000_000n);
    const source = p.staking.rewardSource;
    if (reward > book.get(source)) reward = book.get(source);
    const stakedBefore = book.get("staked");
    book.move(source, "staked", reward, "staking reward");
    this.stakingRewardsPaid += reward;
    const stakingYield = stakedBefore > 0n ? (Number(reward) / Number(stakedBefore)) * 365 : 0;
    const price = this.pool.spotPrice();
    const rewardOutflow = source === "treasury" ? fromWei(reward) * price : 0;
    // Treasury operating spend: sell treasury tokens for the day's stable spend.
    const spend = toWei(p.treasury.spendPerDay);
    if (spend > 0n) {
      let tokenIn = spend < this.pool.stableReserve ? amountIn(spend, this.pool.tokenReserve, this.pool.stableReserve, this.pool.feeBps) : book.get("treasury");
      if (tokenIn > book.get("treasury")) {
        tokenIn = book.get("treasury");
        if (this.treasuryDepletedDay === null) this.treasuryDepletedDay = day;
      }
      if (tokenIn > 0n) {
        this.pool.swapTokenForStable(t, tokenIn);
        book.move("treasury", "pool", tokenIn, "treasury spend");
      }
    }
    this.checkBooks(`end of day ${day}`);
    // Runway: treasury value over its net outflow (30-day trailing buyback inflow).
    this.inflowWindow.push(this.todayTreasuryInflow);
    if (this.inflowWindow.length > 30) this.inflowWindow.shift();
    let inflow = 0;
    for (const x of this.inflowWindow) inflow += x;
    inflow /= this.inflowWindow.length;
    const spotAfter = this.pool.spotPrice();
    const treasuryValue = fromWei(book.get("treasury")) * spotAfter;
    const net = p.treasury.spendPerDay + rewardOutflow - inflow;
    const runwayYears = net > 0 ? Math.min(RUNWAY_CAP_YEARS, treasuryValue / net / 365) : RUNWAY_CAP_YEARS;
    return {
      day,
      price: spotAfter,
      fairPrice: this.fairPrice(),
      totalSupply: fromWei(book.totalSupply()),
      burned: fromWei(book.get("burned")),
      treasury: fromWei(book.get("treasury")),
      treasuryValue,
      staked: fromWei(book.get("staked")),
      circulating: fromWei(book.get("circulating")),
      pool: fromWei(book.get("pool")),
      emissions: fromWei(book.get("emissions")),
      fees: this.todayFees,
      buyback: fromWei(this.todayBuyback),
      runwayYears,
      stakingYield,
    };
  }
}
