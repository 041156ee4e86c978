// Reconciliation: after blocks are mined, read the chain's state through the contracts' views
// (one JSON-RPC batch of eth_calls) and compare it with the in-memory ledger; the first
// difference stops the run naming the account, the field and both values (DESIGN: Settlement).
// Per block it reads every value whose memory side changed since the chain last agreed, a few
// unchanged ones in round robin (so a change the chain made and memory did not shows up too),
// and the jobs and games the block touched; the end of a run reads everything.
import { toHex, type Address, type Hex } from "viem";
import type { ContractName } from "../../core/ledger/deployment.ts";
import { GameOutcome, GamePhase, JobStatus, type Account, type Ledger } from "../../core/ledger/ledger.ts";
import { decodeResult } from "./abiWords.ts";
import { encodeCall, functionAbi as abiOf } from "./artifacts.ts";
import type { ChainAccounts } from "./chainAccounts.ts";
import { ChainError, ReconciliationError } from "./chainError.ts";
import { jsonRpcRequests, type RpcRequest } from "./jsonRpcBatch.ts";

/** One compared value: where it lives (account + field), the view that reads it, the memory value. */
interface Check {
  account: string;
  field: string;
  contract: ContractName;
  fn: string;
  args: unknown[];
  /** Picks the compared value out of the decoded result. */
  pick?: (decoded: any) => string;
  memory: string;
}

/** Values compare as lower-case strings (addresses and hashes case-insensitively). */
function str(v: unknown): string {
  return String(v).toLowerCase();
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
const ZERO_HASH = `0x${"0".repeat(64)}`;

export interface ReconcileScope {
  /** Accounts whose values to compare (only those that changed since the chain last agreed,
   * plus an audit sample of all accounts), or "all": every value of every account. */
  accounts: readonly Account[] | "all";
  jobs: readonly number[];
  games: readonly number[];
}

/** A mined block and how many transactions it must hold. */
export interface BlockExpectation {
  number: bigint;
  txCount: number;
}

export class Reconciler {
  /** eth_calls made so far. */
  reads = 0;
  /** Memory value of each (account, field) as of the last reconciliation prepared. */
  private agreed = new Map<string, string>();
  private cursor = 0;
  /** The accounts of the current audit round. */
  private round: readonly Account[] | null = null;
  /** Calldata of each read, encoded once (the same reads recur block after block). */
  private readonly calldata = new Map<string, Hex>();

  constructor(
    private readonly url: string,
    private readonly accounts: ChainAccounts,
    /** Accounts whose every value is re-read per reconciliation, round robin over all. */
    private readonly auditPerCheck = 1,
  ) {}

  /** The values of `accounts` (balances, stake, pending unstake), with their memory side. */
  private accountValues(ledger: Ledger, accounts: readonly Account[]): Check[] {
    const c: Check[] = [];
    const addr = (a: Account) => this.accounts.address(a);
    for (const a of accounts) {
      const p = ledger.pendingUnstake(a);
      c.push({ account: a, field: "GSN balance", contract: "Token", fn: "balanceOf", args: [addr(a)], memory: str(ledger.balanceOf(a, "GSN")) });
      c.push({ account: a, field: "USD balance", contract: "StableToken", fn: "balanceOf", args: [addr(a)], memory: str(ledger.balanceOf(a, "USD")) });
      c.push({ account: a, field: "stake", contract: "Staking", fn: "stakeOf", args: [addr(a)], memory: str(ledger.stakeOf(a)) });
      c.push({ account: a, field: "pending unstake", contract: "Staking", fn: "pendingUnstake", args: [addr(a)], pick: (r) => `${r[0]}@${r[1]}`, memory: `${p.amount}@${p.unlockAt}` });
    }
    return c;
  }

  /** Totals: supplies, escrow, counts, bonds, pool reserves, buyback day, swarm round. */
  private globalValues(ledger: Ledger): Check[] {
    const c: Check[] = [];
    const escrow = ledger.escrow();
    const pool = ledger.poolReserves();
    const vault = ledger.vaultDay();
    const g = (field: string, contract: ContractName, fn: string, memory: unknown): Check => ({ account: contract, field, contract, fn, args: [], memory: str(memory) });
    c.push(
      g("GSN total supply (burned = 10B - supply)", "Token", "totalSupply", ledger.totalSupply("GSN")),
      g("USD total supply", "StableToken", "totalSupply", ledger.totalSupply("USD")),
      g("escrow posted", "JobMarket", "posted", escrow.posted),
      g("escrowed", "JobMarket", "escrowed", escrow.escrowed),
      g("escrow paid out", "JobMarket", "paidOut", escrow.paidOut),
      g("escrow refunded", "JobMarket", "refunded", escrow.refunded),
      g("job count", "JobMarket", "jobCount", ledger.jobCount()),
      g("game count", "DisputeGame", "gameCount", ledger.gameCount()),
      g("bonds held", "DisputeGame", "bondsHeld", ledger.bondsHeld()),
      g("USD reserve", "ConstantProductPool", "usdReserve", pool.usd),
      g("GSN reserve", "ConstantProductPool", "tokenReserve", pool.gsn),
      g("buyback day", "BuybackVault", "day", vault.day),
      g("buyback spent today", "BuybackVault", "spentToday", vault.spent),
      g("current round", "SwarmCoordinator", "currentRound", ledger.currentRound()),
      g("current stage", "SwarmCoordinator", "currentStage", ledger.currentStage()),
      g("prediction market count", "PredictionMarket", "marketCount", ledger.predictionMarketCount()),
      g("prediction fees charged", "PredictionMarket", "feesCharged", ledger.predictionFees().charged),
      g("prediction fees to vault", "PredictionMarket", "feesToVault", ledger.predictionFees().toVault),
    );
    return c;
  }

  private entities(ledger: Ledger, jobs: readonly number[], games: readonly number[]): Check[] {
    const c: Check[] = [];
    const addr = (a: Account | null) => (a === null ? "none" : this.accounts.address(a));
    for (const id of jobs) {
      const j = ledger.job(id);
      c.push({
        account: `job ${id}`, field: "status|solver|root|committedAt|gameId|openDisputes", contract: "JobMarket", fn: "getJob", args: [BigInt(id)],
        memory: str(`${j.status}|${addr(j.solver)}|${j.resultRoot ?? ZERO_HASH}|${j.committedAt}|${j.gameId}|${j.openDisputes}`),
        pick: (r) => `${JobStatus[r.status]}|${r.solver === ZERO_ADDRESS ? "none" : r.solver}|${r.resultRoot}|${r.committedAt}|${r.gameId}|${r.openDisputes}`,
      });
    }
    for (const id of games) {
      const m = ledger.game(id);
      c.push({
        account: `game ${id}`, field: "phase|outcome|lo|hi|moves|clocks", contract: "DisputeGame", fn: "getGame", args: [BigInt(id)],
        memory: str(`${m.phase}|${m.outcome}|${m.lo}|${m.hi}|${m.moves}|${m.defenderTimeLeft}|${m.challengerTimeLeft}`),
        pick: (r) => `${GamePhase[r.phase]}|${GameOutcome[r.outcome]}|${r.lo}|${r.hi}|${r.moves}|${r.defenderTimeLeft}|${r.challengerTimeLeft}`,
      });
    }
    return c;
  }

  /** The values that changed in memory since the chain last agreed with them. */
  private changed(standing: Check[]): Check[] {
    return standing.filter((k) => this.agreed.get(`${k.account}\u0000${k.field}`) !== k.memory);
  }

  /**
   * `n` accounts taken round robin over all of them (the audit sample). The list of all accounts
   * is taken at the start of each round (listing them every block cost more than the rest of a
   * small block's reconciliation); accounts that appear during a round join the next one.
   */
  private audit(ledger: Ledger, n: number): Account[] {
    if (this.round === null || this.cursor >= this.round.length) {
      this.round = ledger.accounts();
      this.cursor = 0;
    }
    const all = this.round;
    const out: Account[] = [];
    for (let i = 0; i < Math.min(n, all.length); i++) out.push(all[(this.cursor + i) % all.length]);
    this.cursor += n;
    return out;
  }

  /**
   * The reads that compare the chain at the latest block with `ledger` (and check each mined
   * block holds the expected number of transactions), and the function that judges their
   * results: it throws ReconciliationError on the first difference, else returns the count.
   * Memory values are taken now; the reads may run later (after the block is mined).
   */
  prepare(ledger: Ledger, scope: ReconcileScope, blocks: readonly BlockExpectation[], label: bigint): PreparedReconciliation {
    let standing: Check[];
    let selected: Check[];
    if (scope.accounts === "all") {
      standing = selected = [...this.accountValues(ledger, ledger.accounts()), ...this.globalValues(ledger)];
    } else {
      standing = [...this.accountValues(ledger, scope.accounts), ...this.globalValues(ledger)];
      selected = [...this.changed(standing), ...this.accountValues(ledger, this.audit(ledger, this.auditPerCheck))];
    }
    const checks = [...selected, ...this.entities(ledger, scope.jobs, scope.games)];
    // From now on these memory values count as what the chain holds: the next reconciliation
    // reads only what changes after them (if this one finds a difference, the run stops).
    for (const k of [...standing, ...selected]) this.agreed.set(`${k.account}\u0000${k.field}`, k.memory);
    const requests: RpcRequest[] = blocks.map((b) => ({ method: "eth_getBlockTransactionCountByNumber", params: [toHex(b.number)] }));
    for (const k of checks) {
      const key = `${k.contract}.${k.fn}(${k.args.join(",")})`;
      let data = this.calldata.get(key);
      if (data === undefined) {
        data = encodeCall(k.contract, k.fn, k.args);
        this.calldata.set(key, data);
      }
      requests.push({ method: "eth_call", params: [{ to: this.accounts.address(k.contract) as Address, data }, "latest"] });
    }
    const describe = (i: number) => (i < blocks.length ? `block ${blocks[i].number}` : `${checks[i - blocks.length].field} of ${checks[i - blocks.length].account}`);
    const verify = (results: unknown[]): number => {
      this.reads += checks.length;
      blocks.forEach((b, i) => {
        const n = Number(results[i]);
        if (n !== b.txCount) {
          throw new ChainError(`block ${b.number} holds ${n} transactions, expected ${b.txCount}`, { details: "a transaction was dropped or left in the pool (nonce gap?)" });
        }
      });
      for (let i = 0; i < checks.length; i++) {
        const k = checks[i];
        const decoded = decodeResult(abiOf(k.contract, k.fn), k.fn, results[blocks.length + i] as Hex);
        const chain = str(k.pick ? k.pick(decoded) : decoded);
        if (chain !== k.memory) throw new ReconciliationError(k.account, k.field, chain, k.memory, label);
      }
      return checks.length;
    };
    return { requests, describe, verify };
  }

  /** prepare() and run the reads now. */
  async check(ledger: Ledger, scope: ReconcileScope, blocks: readonly BlockExpectation[], label: bigint): Promise<number> {
    const p = this.prepare(ledger, scope, blocks, label);
    return p.verify(await jsonRpcRequests(this.url, p.requests, { chunk: 1_000, label: p.describe }));
  }
}

export interface PreparedReconciliation {
  requests: RpcRequest[];
  /** Names read i in error messages. */
  describe(i: number): string;
  verify(results: unknown[]): number;
}
