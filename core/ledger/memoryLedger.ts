// MemoryLedger: the embedded default Ledger, the contracts' rules in memory, exactly (DESIGN:
// Settlement). One book per contract; this class deploys them, times calls and journals them.
import { ConfigError, ProtocolError } from "../errors.ts";
import type {
  Account, Asset, BuybackResult, Bytes32, Game, GameOutcome, Job, Ledger, LedgerCall, LedgerEntry,
  LedgerMethod, Payout, PendingUnstake, PostJobArgs, CreateMarketArgs,
} from "./ledger.ts";
import { PredictionBook, type PredictionFees, type PredictionMarketState } from "./predictionBook.ts";
import { systemAccounts } from "./ledger.ts";
import { defaultLedgerConfig, defaultPredictionParams, MAX_SUPPLY, type LedgerConfig } from "./deployment.ts";
import { Erc20Book } from "./erc20Book.ts";
import { StakingBook } from "./stakingBook.ts";
import { PoolBook } from "./poolBook.ts";
import { VaultBook } from "./vaultBook.ts";
import { MarketBook } from "./marketBook.ts";
import { GameBook } from "./gameBook.ts";
import { SwarmBook, SwarmRoles, type SwarmRole, type SwarmView } from "./swarmBook.ts";
import { revert } from "./revert.ts";

const UINT256_END = 1n << 256n;
const INT256_MIN = -(1n << 255n);

/** Arguments the contracts' ABI could not encode (a negative amount, a fractional id) are
 * rejected before any rule runs: they are caller bugs, not reverts. */
function checkArgs(method: LedgerMethod, args: unknown[]): void {
  const visit = (v: unknown, where: string, signed: boolean): void => {
    if (typeof v === "bigint") {
      if (signed ? v < INT256_MIN || v >= -INT256_MIN : v < 0n || v >= UINT256_END) {
        throw new ProtocolError(`ledger.${method}: ${where} = ${v} is not a${signed ? "n int256" : " uint256"}`);
      }
    } else if (typeof v === "number") {
      if (!Number.isSafeInteger(v) || v < 0) throw new ProtocolError(`ledger.${method}: ${where} = ${v} is not a non-negative integer`);
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${where}[${i}]`, false));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) visit(x, `${where}.${k}`, false);
  };
  // submitReward(from, round, stage, reward, peerId): the reward is an int256.
  args.forEach((a, i) => visit(a, `argument ${i}`, method === "submitReward" && i === 3));
}

/** A swarm role name the port does not know is a caller bug (the contract would take any bytes32). */
function checkRole(role: SwarmRole): SwarmRole {
  if (!SwarmRoles.includes(role)) throw new ProtocolError(`ledger: unknown SwarmCoordinator role ${JSON.stringify(role)} (expected one of ${SwarmRoles.join(", ")})`);
  return role;
}

export interface MemoryLedgerOptions {
  /** Chain time in seconds for each call (e.g. genesisTime + floor(env.now / 1e6)). Without it
   * the ledger keeps its own time, starting at genesisTime and moved by setTime(). */
  clock?: () => number;
}

export class MemoryLedger implements Ledger {
  readonly config: LedgerConfig;
  private readonly gsn = new Erc20Book("Token");
  private readonly usd = new Erc20Book("StableToken");
  private readonly staking: StakingBook;
  private readonly pool: PoolBook;
  private readonly vault: VaultBook;
  private readonly market: MarketBook;
  private readonly games: GameBook;
  private readonly swarm: SwarmBook;
  private readonly predictions: PredictionBook;
  private readonly clock?: () => number;
  private time: number;
  private seq = 0;
  private lastApplied = 0;
  private readonly listeners: ((entry: LedgerEntry) => void)[] = [];

  constructor(config: LedgerConfig = defaultLedgerConfig, options: MemoryLedgerOptions = {}) {
    this.config = config;
    this.clock = options.clock;
    this.time = config.genesisTime;
    const books = { GSN: this.gsn, USD: this.usd };
    this.staking = new StakingBook(this.gsn, config.staking.unstakeDelay);
    this.pool = new PoolBook(books, config.pool.feeBps);
    this.vault = new VaultBook(books, this.pool, config.vault, systemAccounts.treasury, config.genesisTime);
    this.market = new MarketBook(this.usd, this.staking, config.market);
    this.games = new GameBook(this.gsn, this.staking, this.market, config.dispute, systemAccounts.treasury);
    this.market.game = this.games;
    this.swarm = new SwarmBook(config.swarm.stageCount);
    const pp = config.predictions ?? defaultPredictionParams;
    if (pp.feeBps < 0n || pp.feeBps >= 10_000n || pp.protocolShareBps < 0n || pp.protocolShareBps > 10_000n) {
      throw new ConfigError(`ledger.predictions: feeBps must be 0..9999 and protocolShareBps 0..10000, got ${pp.feeBps} and ${pp.protocolShareBps} (PredictionMarket reverts BadConfig)`);
    }
    this.predictions = new PredictionBook(this.usd, pp, (id) => this.market.job(id), "BuybackVault", systemAccounts.treasury);
    if (config.market.protocolFeeBps + config.market.verifierFeeBps > 10_000n) {
      throw new ConfigError(`ledger.market: protocolFeeBps + verifierFeeBps must be <= 10000, got ${config.market.protocolFeeBps} + ${config.market.verifierFeeBps}`);
    }
    const v = config.vault;
    for (const [name, bps, max] of [["executorRewardBps", v.executorRewardBps, 10_000n], ["burnBps", v.burnBps, 10_000n],
      ["maxSlippageBps", v.maxSlippageBps, 10_000n], ["maxTwapDeviationBps", v.maxTwapDeviationBps, 1_000_000n]] as const) {
      if (bps < 0n || bps > max) throw new ConfigError(`ledger.vault.${name}: expected 0..${max} bps, got ${bps} (BuybackVault reverts InvalidBps)`);
    }
    if (config.pool.feeBps < 0n || config.pool.feeBps >= 10_000n) {
      throw new ConfigError(`ledger.pool.feeBps: expected 0..9999, got ${config.pool.feeBps} (ConstantProductPool reverts InvalidFee)`);
    }
    // deployment.ts, in order: the fixed supply to the deployer, then the pool's seed.
    this.gsn.mint(systemAccounts.deployer, MAX_SUPPLY);
    this.usd.mint(systemAccounts.deployer, config.pool.seedUsd);
    this.pool.seed(systemAccounts.deployer, config.pool.seedUsd, config.pool.seedGsn, config.genesisTime);
  }

  now(): number {
    return this.clock ? this.clock() : this.time;
  }

  /** Moves the ledger's own time (only without a clock); time never goes back. */
  setTime(seconds: number): void {
    if (this.clock) throw new ConfigError("MemoryLedger.setTime: this ledger follows a clock");
    if (!Number.isInteger(seconds) || seconds < this.time) {
      throw new ConfigError(`MemoryLedger.setTime: expected an integer >= ${this.time}, got ${seconds}`);
    }
    this.time = seconds;
  }

  onApplied(listener: (entry: LedgerEntry) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Runs one call; journals it only if it did not revert. */
  private apply<R>(method: LedgerMethod, args: unknown[], run: (now: number) => R): R {
    const now = this.now();
    if (!Number.isSafeInteger(now) || now < this.lastApplied) {
      throw new ConfigError(`ledger.${method}: chain time must be an integer number of seconds that never goes back, got ${now} after ${this.lastApplied}`);
    }
    checkArgs(method, args);
    const result = run(now);
    this.lastApplied = now;
    this.seq += 1;
    const entry = { seq: this.seq, time: now, call: { method, args } as LedgerCall, result } as LedgerEntry;
    for (const l of this.listeners) l(entry);
    return result;
  }

  // ---------------------------------------------------------------- tokens

  transfer(from: Account, to: Account, asset: Asset, amount: bigint): void {
    this.apply("transfer", [from, to, asset, amount], () => this.book(asset).transfer(from, to, amount));
  }

  mintUsd(from: Account, to: Account, amount: bigint): void {
    this.apply("mintUsd", [from, to, amount], () => {
      if (from !== systemAccounts.deployer) revert("StableToken", "OwnableUnauthorizedAccount", from);
      this.usd.mint(to, amount);
    });
  }

  burn(from: Account, amount: bigint): void {
    this.apply("burn", [from, amount], () => this.gsn.burn(from, amount));
  }

  // ---------------------------------------------------------------- staking

  stake(from: Account, amount: bigint): void {
    this.apply("stake", [from, amount], () => this.staking.stake(from, amount));
  }

  requestUnstake(from: Account, amount: bigint): void {
    this.apply("requestUnstake", [from, amount], (now) => this.staking.requestUnstake(from, amount, now));
  }

  withdraw(from: Account): bigint {
    return this.apply("withdraw", [from], (now) => this.staking.withdraw(from, now));
  }

  slash(from: Account, account: Account, amount: bigint, recipient: Account): bigint {
    return this.apply("slash", [from, account, amount, recipient], () => this.staking.slash(from, account, amount, recipient));
  }

  // ---------------------------------------------------------------- market

  postJob(from: Account, args: PostJobArgs): number {
    return this.apply("postJob", [from, { ...args }], () => this.market.postJob(from, args));
  }

  cancelJob(from: Account, jobId: number): void {
    this.apply("cancelJob", [from, jobId], () => this.market.cancelJob(from, jobId));
  }

  assign(from: Account, jobId: number, solver: Account, verifiers: Account[]): void {
    this.apply("assign", [from, jobId, solver, [...verifiers]], () => this.market.assign(from, jobId, solver, verifiers));
  }

  commit(from: Account, jobId: number, resultRoot: Bytes32): void {
    this.apply("commit", [from, jobId, resultRoot], (now) => this.market.commit(from, jobId, resultRoot, now));
  }

  challenge(from: Account, jobId: number, root: Bytes32): number {
    return this.apply("challenge", [from, jobId, root], (now) => this.market.challenge(from, jobId, root, now));
  }

  finalize(from: Account, jobId: number): Payout {
    return this.apply("finalize", [from, jobId], (now) => this.market.finalize(jobId, now));
  }

  // ---------------------------------------------------------------- disputes

  claim(from: Account, gameId: number, hash: Bytes32): void {
    this.apply("claim", [from, gameId, hash], (now) => this.games.claim(from, gameId, hash, now));
  }

  timeout(from: Account, gameId: number): GameOutcome {
    return this.apply("timeout", [from, gameId], (now) => this.games.timeout(gameId, now));
  }

  rule(from: Account, gameId: number, correctHash: Bytes32): GameOutcome {
    return this.apply("rule", [from, gameId, correctHash], () => this.games.rule(from, gameId, correctHash));
  }

  // ---------------------------------------------------------------- AMM and buyback

  swap(from: Account, assetIn: Asset, amountIn: bigint, minOut: bigint): bigint {
    return this.apply("swap", [from, assetIn, amountIn, minOut], (now) => this.pool.swap(from, assetIn, amountIn, minOut, from, now));
  }

  buyback(from: Account, amountIn: bigint): BuybackResult {
    return this.apply("buyback", [from, amountIn], (now) => this.vault.buyback(from, amountIn, now));
  }

  // ---------------------------------------------------------------- swarm

  registerPeer(from: Account, peerId: string): void {
    this.apply("registerPeer", [from, peerId], () => this.swarm.registerPeer(from, peerId));
  }

  updateStageAndRound(from: Account): { round: number; stage: number } {
    return this.apply("updateStageAndRound", [from], () => this.swarm.updateStageAndRound(from));
  }

  submitWinners(from: Account, round: number, winners: string[], voterPeerId: string): void {
    this.apply("submitWinners", [from, round, [...winners], voterPeerId], () => this.swarm.submitWinners(from, round, winners, voterPeerId));
  }

  submitReward(from: Account, round: number, stage: number, reward: bigint, peerId: string): void {
    this.apply("submitReward", [from, round, stage, reward, peerId], () => this.swarm.submitReward(from, round, stage, reward, peerId));
  }

  setStageCount(from: Account, count: number): void {
    this.apply("setStageCount", [from, count], () => this.swarm.setStageCount(from, count));
  }

  grantSwarmRole(from: Account, role: SwarmRole, account: Account): void {
    this.apply("grantSwarmRole", [from, role, account], () => this.swarm.grantRole(from, checkRole(role), account));
  }

  revokeSwarmRole(from: Account, role: SwarmRole, account: Account): void {
    this.apply("revokeSwarmRole", [from, role, account], () => this.swarm.revokeRole(from, checkRole(role), account));
  }

  addBootnodes(from: Account, bootnodes: string[]): void {
    this.apply("addBootnodes", [from, [...bootnodes]], () => this.swarm.addBootnodes(from, bootnodes));
  }

  removeBootnode(from: Account, index: number): void {
    this.apply("removeBootnode", [from, index], () => this.swarm.removeBootnode(from, index));
  }

  clearBootnodes(from: Account): void {
    this.apply("clearBootnodes", [from], () => this.swarm.clearBootnodes(from));
  }

  // ---------------------------------------------------------------- prediction markets

  createMarket(from: Account, args: CreateMarketArgs): number {
    return this.apply("createMarket", [from, { ...args }], (now) => this.predictions.create(from, args.judgeSpec, args.outcomes, args.resolveAt, args.liquidity, now));
  }

  buyShares(from: Account, marketId: number, outcome: number, amount: bigint, minShares: bigint): bigint {
    return this.apply("buyShares", [from, marketId, outcome, amount, minShares], (now) => this.predictions.buy(from, marketId, outcome, amount, minShares, now));
  }

  sellShares(from: Account, marketId: number, outcome: number, returned: bigint, maxShares: bigint): bigint {
    return this.apply("sellShares", [from, marketId, outcome, returned, maxShares], (now) => this.predictions.sell(from, marketId, outcome, returned, maxShares, now));
  }

  resolveMarket(from: Account, marketId: number, jobId: number, root: Bytes32, winner: number): void {
    this.apply("resolveMarket", [from, marketId, jobId, root, winner], (now) => {
      if (from !== systemAccounts.operator) revert("PredictionMarket", "AccessControlUnauthorizedAccount", from, "RESOLVER_ROLE");
      this.predictions.resolve(marketId, jobId, root, winner, now);
    });
  }

  redeem(from: Account, marketId: number): bigint {
    return this.apply("redeem", [from, marketId], () => this.predictions.redeem(from, marketId));
  }

  /** Quotes without a state change (traders decide with them). */
  quoteBuy(marketId: number, outcome: number, amount: bigint): bigint {
    return this.predictions.quoteBuy(marketId, outcome, amount).shares;
  }

  // ---------------------------------------------------------------- views

  private book(asset: Asset): Erc20Book {
    if (asset === "GSN") return this.gsn;
    if (asset === "USD") return this.usd;
    throw new ConfigError(`ledger: unknown asset ${JSON.stringify(asset)} (expected "GSN" or "USD")`);
  }

  balanceOf(account: Account, asset: Asset): bigint { return this.book(asset).balanceOf(account); }
  totalSupply(asset: Asset): bigint { return this.book(asset).supply; }
  burned(): bigint { return MAX_SUPPLY - this.gsn.supply; }
  stakeOf(account: Account): bigint { return this.staking.stakeOf(account); }
  pendingUnstake(account: Account): PendingUnstake { return this.staking.pendingOf(account); }
  totalStaked(): bigint { return this.staking.totalStaked; }
  escrow(): { posted: bigint; escrowed: bigint; paidOut: bigint; refunded: bigint } {
    const m = this.market;
    return { posted: m.posted, escrowed: m.escrowed, paidOut: m.paidOut, refunded: m.refunded };
  }
  job(jobId: number): Job { return this.market.job(jobId); }
  jobCount(): number { return this.market.count; }
  game(gameId: number): Game { return this.games.game(gameId); }
  gameCount(): number { return this.games.count; }
  bondsHeld(): bigint { return this.games.bondsHeld; }
  poolReserves(): { usd: bigint; gsn: bigint } { return { usd: this.pool.usdReserve, gsn: this.pool.gsnReserve }; }
  vaultDay(): { day: number; spent: bigint } { return { day: this.vault.day, spent: this.vault.spentToday }; }
  priceOracle(): { priceCumulative: bigint; lastUpdate: number; obsCumulative: bigint; obsTime: number; twap: bigint } {
    const { pool: p, vault: v } = this;
    return { priceCumulative: p.priceCumulative, lastUpdate: p.lastUpdate, obsCumulative: v.obsCumulative, obsTime: v.obsTime, twap: v.twap };
  }
  currentRound(): number { return this.swarm.round; }
  currentStage(): number { return this.swarm.stage; }
  totalWins(peerId: string): number { return this.swarm.totalWins(peerId); }
  totalRewards(peerId: string): bigint { return this.swarm.totalRewards(peerId); }
  peerOwner(peerId: string): Account | null { return this.swarm.peerOwner(peerId); }
  swarmView(): SwarmView { return this.swarm; }

  predictionMarket(marketId: number): PredictionMarketState { return this.predictions.market(marketId); }
  predictionMarketCount(): number { return this.predictions.count(); }
  sharesOf(account: Account, marketId: number, outcome: number): bigint { return this.predictions.sharesOf(marketId, account, outcome); }
  predictionFees(): PredictionFees { return { ...this.predictions.fees }; }

  accounts(): Account[] {
    const all = new Set<Account>([
      ...Object.values(systemAccounts), ...this.gsn.holders(), ...this.usd.holders(),
      ...this.staking.stakers(), ...this.swarm.peerOwners(),
    ]);
    return [...all].sort();
  }
}
