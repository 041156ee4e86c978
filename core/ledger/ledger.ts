// The Ledger port: every protocol state change as a typed, synchronous method (DESIGN: Settlement).
//
// How the two ledgers coexist (sync memory, async anvil):
// - The port is SYNCHRONOUS. The in-memory ledger (memoryLedger.ts) is the authority during a
//   run: it applies each call immediately with exactly the contracts' rules and either returns
//   the result (ids, payouts) or throws LedgerRevert carrying the contract's custom error name.
// - A call that reverts changes nothing and is never journaled. Every call that succeeds is
//   journaled as a LedgerEntry {seq, time, call, result} to the listeners given to
//   `onApplied` (in application order, seq = 1, 2, ...).
// - The anvil ledger (sim/chain, SETTLEMENT) wraps a memory ledger: it forwards each call to it
//   (so the simulation sees the result at once) and queues the journaled entry as a transaction
//   sent by `call.from` (every Account maps to one address; see systemAccounts). At each
//   barrier (RunContext.onBarrier) it groups queued entries by `time` (seconds), and for each
//   distinct time in increasing order sets the next block timestamp to that time, sends that
//   group's transactions in seq order, mines, and then reconciles: every view below, for every
//   account in `accounts()`, must equal the chain's value; any difference stops the run naming
//   the account, the field and both values. Ids (jobId, gameId) are assigned 1, 2, 3, ... in
//   application order by the contracts too, so they agree when transactions keep seq order.
//   A transaction that reverts on chain after the memory ledger accepted it is a divergence.
// - Contract-level wiring (deployment, roles, unlimited approvals of the protocol contracts by
//   every account) is in deployment.ts; which contract function each call maps to is in
//   callTable.ts. Both are pure data that sim/chain turns into viem calls. gasTable.ts gives
//   each call's typical gas for charging fees without a chain; applyCall.ts replays a call.
// - There is no separate "register" call: an Account exists once it is used (funded by
//   `transfer`/`mintUsd`, then `stake`; swarm peers by `registerPeer`), and its approvals are
//   implicit. Arguments the ABI cannot encode (negative amounts, fractional ids) throw a plain
//   ProtocolError before any rule runs: they are caller bugs, never journaled.
//
// Units: amounts are bigint wei (18 decimals); time is integer seconds of chain time
// (genesisTime + virtual microseconds / 1e6, rounded down). Hashes are 0x-prefixed 32-byte hex.

import type { PredictionFees, PredictionMarketState } from "./predictionBook.ts";
import type { SwarmRole, SwarmView } from "./swarmBook.ts";

/** A simulated party: a node id ("n17"), a system account ("operator"), or a contract ("JobMarket"). */
export type Account = string;

/** A 32-byte hash as 0x + 64 hex digits (Merkle roots, state and graph-node hashes). */
export type Bytes32 = `0x${string}`;

/** GSN: the fixed-supply protocol token (REFERENCE §9). USD: the stable asset jobs are paid in. */
export type Asset = "GSN" | "USD";

/** System accounts created at deployment (deployment.ts). */
export const systemAccounts = {
  /** Deploys everything, receives the whole 10B GSN supply, owns the USD faucet. */
  deployer: "deployer",
  /** Assigns solvers and verifiers to jobs; the swarm's stage manager. */
  operator: "operator",
  /** Recomputes the one disputed operator and rules (REFERENCE §3). */
  referee: "referee",
  /** Receives the treasury share of each buyback (REFERENCE §9). */
  treasury: "treasury",
} as const;

/** Contract accounts: they hold balances (escrow, stakes, bonds, pool reserves, fees). */
export const contractAccounts = {
  token: "Token",
  usd: "StableToken",
  staking: "Staking",
  market: "JobMarket",
  game: "DisputeGame",
  pool: "ConstantProductPool",
  vault: "BuybackVault",
  swarm: "SwarmCoordinator",
  predictions: "PredictionMarket",
} as const;

// ---------------------------------------------------------------- states (mirror the enums)

/** JobMarket.Status, same order as the Solidity enum. */
export const JobStatus = ["None", "Posted", "Assigned", "Committed", "Disputed", "Upheld", "Paid", "Rejected", "Cancelled"] as const;
export type JobStatus = (typeof JobStatus)[number];

/** DisputeGame.Phase: step bisection, graph bisection, referee ruling, resolved. */
export const GamePhase = ["None", "Steps", "Graph", "Referee", "Resolved"] as const;
export type GamePhase = (typeof GamePhase)[number];

/** DisputeGame.Outcome. "BothWrong": the referee's hash matched neither party. */
export const GameOutcome = ["Pending", "DefenderWon", "ChallengerWon", "BothWrong"] as const;
export type GameOutcome = (typeof GameOutcome)[number];

export interface Job {
  id: number;
  submitter: Account;
  fee: bigint;
  specHash: Bytes32;
  /** Training steps (Verde phase 1 range) and graph nodes per step (phase 2 range). */
  steps: number;
  graphNodes: number;
  status: JobStatus;
  solver: Account | null;
  verifiers: Account[];
  resultRoot: Bytes32 | null;
  /** Chain time of the commit; challenges are allowed while now <= committedAt + window. */
  committedAt: number;
  /** The latest game opened on this job (0: none). */
  gameId: number;
  /** Games opened on this job and not resolved yet; the job cannot be paid while > 0. */
  openDisputes: number;
  /** Verifiers that challenged this job, in order (each may challenge once; REFERENCE §1, §3). */
  challengers: Account[];
}

export interface Game {
  id: number;
  jobId: number;
  defender: Account;
  challenger: Account;
  phase: GamePhase;
  /** Bisection range: both agree at lo, disagree at hi. */
  lo: number;
  hi: number;
  /** The disputed step (set when phase 1 ends) and graph node (set when phase 2 ends). */
  step: number;
  node: number;
  /** Graph nodes per step: the range of phase 2. */
  graphNodes: number;
  /** Whose move: the defender claims first in each round, then the challenger. */
  turn: "defender" | "challenger";
  /** The defender's claim for mid this round, waiting for the challenger's. */
  pendingClaim: Bytes32 | null;
  defenderClaimHi: Bytes32;
  challengerClaimHi: Bytes32;
  /** Chess clocks: seconds left per party; the mover's clock runs since lastMoveAt. */
  defenderTimeLeft: number;
  challengerTimeLeft: number;
  lastMoveAt: number;
  moves: number;
  bond: bigint;
  outcome: GameOutcome;
}

export interface PendingUnstake {
  amount: bigint;
  unlockAt: number;
}

export interface Payout {
  solver: bigint;
  /** Each verifier's share (same for all), and the protocol fee sent to the vault. */
  perVerifier: bigint;
  protocolFee: bigint;
}

export interface BuybackResult {
  amountIn: bigint;
  bought: bigint;
  executorReward: bigint;
  burned: bigint;
  toTreasury: bigint;
}

/** PredictionMarket.createMarket (contracts/src/PredictionMarket.sol). */
export interface CreateMarketArgs {
  /** The judge inference job's spec hash: resolve accepts only a Paid job with this spec. */
  judgeSpec: Bytes32;
  outcomes: number;
  /** Chain time (seconds) from which the market stops trading and may be resolved. */
  resolveAt: number;
  /** USD the creator funds the pool with (one complete set per USD). */
  liquidity: bigint;
}

export interface PostJobArgs {
  fee: bigint;
  specHash: Bytes32;
  steps: number;
  graphNodes: number;
}

// ---------------------------------------------------------------- the port

export interface Ledger {
  /** Chain time in seconds that the next call is applied at. */
  now(): number;

  // Token and stable asset (ERC-20).
  transfer(from: Account, to: Account, asset: Asset, amount: bigint): void;
  /** USD faucet: only the deployer (StableToken owner) mints. */
  mintUsd(from: Account, to: Account, amount: bigint): void;
  /** ERC20Burnable.burn: GSN only; supply falls by `amount`. */
  burn(from: Account, amount: bigint): void;

  // Staking (GSN).
  stake(from: Account, amount: bigint): void;
  /** Moves `amount` from active stake to the pending unstake; unlockAt = now + delay. */
  requestUnstake(from: Account, amount: bigint): void;
  /** Returns the withdrawn amount. */
  withdraw(from: Account): bigint;
  /** Only accounts with SLASHER_ROLE (the DisputeGame); returns the amount actually slashed. */
  slash(from: Account, account: Account, amount: bigint, recipient: Account): bigint;

  // JobMarket (USD escrow).
  postJob(from: Account, args: PostJobArgs): number;
  cancelJob(from: Account, jobId: number): void;
  /** Operator only (ASSIGNER_ROLE). */
  assign(from: Account, jobId: number, solver: Account, verifiers: Account[]): void;
  commit(from: Account, jobId: number, resultRoot: Bytes32): void;
  /** A verifier of the job, inside the challenge window; opens a dispute game, returns its id. */
  challenge(from: Account, jobId: number, root: Bytes32): number;
  /** Pays out a job whose window closed undisputed, or whose solver won its dispute. */
  finalize(from: Account, jobId: number): Payout;

  // DisputeGame (Verde, REFERENCE §3/§4).
  /** A bisection move: the party to move posts its hash for the midpoint. */
  claim(from: Account, gameId: number, hash: Bytes32): void;
  /** Anyone: ends a game whose mover ran out of clock, for the party that moved last. */
  timeout(from: Account, gameId: number): GameOutcome;
  /** Referee only: the correct hash at position hi after recomputing the one operator. */
  rule(from: Account, gameId: number, correctHash: Bytes32): GameOutcome;

  // AMM and buyback (REFERENCE §9).
  swap(from: Account, assetIn: Asset, amountIn: bigint, minOut: bigint): bigint;
  buyback(from: Account, amountIn: bigint): BuybackResult;

  // SwarmCoordinator (REFERENCE §7; the public rl-swarm-contracts v0.6.0 interface).
  registerPeer(from: Account, peerId: string): void;
  updateStageAndRound(from: Account): { round: number; stage: number };
  submitWinners(from: Account, round: number, winners: string[], voterPeerId: string): void;
  /** The int256 overload (the uint256 one is the same call for rewards >= 0). */
  submitReward(from: Account, round: number, stage: number, reward: bigint, peerId: string): void;
  /** Owner only, before the clock first moves (our extension for the v1 three-stage game). */
  setStageCount(from: Account, count: number): void;
  /** Owner only: grantRole / revokeRole with the role's name (on chain keccak256 of it). */
  grantSwarmRole(from: Account, role: SwarmRole, account: Account): void;
  revokeSwarmRole(from: Account, role: SwarmRole, account: Account): void;
  /** Bootnode manager only. removeBootnode swaps the last one into `index`. */
  addBootnodes(from: Account, bootnodes: string[]): void;
  removeBootnode(from: Account, index: number): void;
  clearBootnodes(from: Account): void;

  // PredictionMarket (Delphi-style markets settled by a verified AI judge, REFERENCE §9).
  /** Opens a market funded with `liquidity` USD; returns its id (1, 2, ...). */
  createMarket(from: Account, args: CreateMarketArgs): number;
  /** Spends `amount` USD (fee included) on shares of `outcome`; returns the shares. */
  buyShares(from: Account, marketId: number, outcome: number, amount: bigint, minShares: bigint): bigint;
  /** Sells shares of `outcome` for `returned` USD out of the pool (fee taken from it); returns the shares sold. */
  sellShares(from: Account, marketId: number, outcome: number, returned: bigint, maxShares: bigint): bigint;
  /** Resolver only (the operator): `winner` read from the Paid judge job `jobId` with result root `root`. */
  resolveMarket(from: Account, marketId: number, jobId: number, root: Bytes32, winner: number): void;
  /** Pays the caller's winning shares (the creator: also the pool's); returns the amount. */
  redeem(from: Account, marketId: number): bigint;

  // ---- views (what sim/chain reconciles after each block)
  balanceOf(account: Account, asset: Asset): bigint;
  totalSupply(asset: Asset): bigint;
  /** GSN burned so far: 10B - totalSupply("GSN"). */
  burned(): bigint;
  stakeOf(account: Account): bigint;
  pendingUnstake(account: Account): PendingUnstake;
  /** Active stakes plus pending unstakes: the Staking contract's GSN balance. */
  totalStaked(): bigint;
  /** USD held by the JobMarket for open jobs; posted == escrowed + paidOut + refunded. */
  escrow(): { posted: bigint; escrowed: bigint; paidOut: bigint; refunded: bigint };
  job(jobId: number): Job;
  jobCount(): number;
  game(gameId: number): Game;
  gameCount(): number;
  /** Bonds held by the DisputeGame for games not yet resolved. */
  bondsHeld(): bigint;
  poolReserves(): { usd: bigint; gsn: bigint };
  /** Buyback cap state: the day index (now / 86400) and USD spent that day. */
  vaultDay(): { day: number; spent: bigint };
  /** The pool's price accumulator (UQ112.112 x seconds) and the vault's TWAP window state. */
  priceOracle(): { priceCumulative: bigint; lastUpdate: number; obsCumulative: bigint; obsTime: number; twap: bigint };
  currentRound(): number;
  currentStage(): number;
  totalWins(peerId: string): number;
  totalRewards(peerId: string): bigint;
  peerOwner(peerId: string): Account | null;
  /** Every SwarmCoordinator getter (votes, vote counts, round-stage rewards, bootnodes, roles). */
  swarmView(): SwarmView;
  predictionMarket(marketId: number): PredictionMarketState;
  predictionMarketCount(): number;
  sharesOf(account: Account, marketId: number, outcome: number): bigint;
  /** Trading fees charged so far == toVault + toPlatform. */
  predictionFees(): PredictionFees;
  /** Every account that ever held a balance, stake or peer, sorted (for reconciliation). */
  accounts(): Account[];
  /** Subscribes to applied calls; returns an unsubscribe function. */
  onApplied(listener: (entry: LedgerEntry) => void): () => void;
}

/** The mutating methods: one journal entry each. */
export type LedgerMethod =
  | "transfer" | "mintUsd" | "burn" | "stake" | "requestUnstake" | "withdraw" | "slash"
  | "postJob" | "cancelJob" | "assign" | "commit" | "challenge" | "finalize"
  | "claim" | "timeout" | "rule" | "swap" | "buyback"
  | "registerPeer" | "updateStageAndRound" | "submitWinners" | "submitReward"
  | "setStageCount" | "grantSwarmRole" | "revokeSwarmRole" | "addBootnodes" | "removeBootnode" | "clearBootnodes"
  | "createMarket" | "buyShares" | "sellShares" | "resolveMarket" | "redeem";

type Args<M extends LedgerMethod> = Ledger[M] extends (...a: infer A) => unknown ? A : never;
type Ret<M extends LedgerMethod> = Ledger[M] extends (...a: never[]) => infer R ? R : never;

/** One applied call: `args` are exactly the method's arguments (args[0] is the sender). */
export type LedgerCall = { [M in LedgerMethod]: { method: M; args: Args<M> } }[LedgerMethod];

export interface LedgerEntry {
  /** 1, 2, 3... in application order. */
  seq: number;
  /** Chain time (seconds) the call was applied at: its block's timestamp. */
  time: number;
  call: LedgerCall;
  result: Ret<LedgerMethod>;
}
