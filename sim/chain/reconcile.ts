// Reconciliation: after a block, read the chain's state through the contracts' views (one
// JSON-RPC batch of eth_calls) and compare it with the in-memory ledger; the first difference
// stops the run naming the account, the field and both values (DESIGN: Settlement).
import { decodeFunctionResult, encodeFunctionData, type Address, type Hex } from "viem";
import type { ContractName } from "../../core/ledger/deployment.ts";
import { GameOutcome, GamePhase, JobStatus, type Account, type Ledger } from "../../core/ledger/ledger.ts";
import { loadArtifact } from "./artifacts.ts";
import type { ChainAccounts } from "./chainAccounts.ts";
import { ReconciliationError } from "./chainError.ts";
import { jsonRpcBatch } from "./jsonRpcBatch.ts";

/** One compared value: where it lives (account + field), the view that reads it, the memory value. */
interface Check {
  account: string;
  field: string;
  contract: ContractName;
  fn: string;
  args: unknown[];
  /** Picks the compared value out of the decoded result. */
  pick?: (decoded: any) => unknown;
  memory: string;
}

/** Values compare as strings; addresses and hashes case-insensitively. */
function str(v: unknown): string {
  return typeof v === "string" ? v.toLowerCase() : String(v);
}

/** What to compare: these accounts, jobs and games, plus every global total. */
export interface ReconcileScope {
  accounts: readonly Account[];
  jobs: readonly number[];
  games: readonly number[];
}

export class Reconciler {
  /** eth_calls made so far (for the bench and the summary). */
  reads = 0;

  constructor(
    private readonly url: string,
    private readonly accounts: ChainAccounts,
  ) {}

  private checks(ledger: Ledger, scope: ReconcileScope): Check[] {
    const c: Check[] = [];
    const addr = (a: Account) => this.accounts.address(a);
    for (const a of scope.accounts) {
      const p = ledger.pendingUnstake(a);
      c.push({ account: a, field: "GSN balance", contract: "Token", fn: "balanceOf", args: [addr(a)], memory: str(ledger.balanceOf(a, "GSN")) });
      c.push({ account: a, field: "USD balance", contract: "StableToken", fn: "balanceOf", args: [addr(a)], memory: str(ledger.balanceOf(a, "USD")) });
      c.push({ account: a, field: "stake", contract: "Staking", fn: "stakeOf", args: [addr(a)], memory: str(ledger.stakeOf(a)) });
      c.push({ account: a, field: "pending unstake", contract: "Staking", fn: "pendingUnstake", args: [addr(a)], pick: (r) => `${r[0]}@${r[1]}`, memory: `${p.amount}@${p.unlockAt}` });
    }
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
    );
    for (const id of scope.jobs) {
      const j = ledger.job(id);
      const memory = `${j.status}|${j.solver === null ? "none" : addr(j.solver).toLowerCase()}|${j.resultRoot ?? "0x" + "0".repeat(64)}|${j.committedAt}|${j.gameId}`;
      c.push({
        account: `job ${id}`, field: "status|solver|root|committedAt|gameId", contract: "JobMarket", fn: "getJob", args: [BigInt(id)], memory,
        pick: (r) => `${JobStatus[r.status]}|${r.solver === "0x0000000000000000000000000000000000000000" ? "none" : str(r.solver)}|${r.resultRoot}|${r.committedAt}|${r.gameId}`,
      });
    }
    for (const id of scope.games) {
      const m = ledger.game(id);
      const memory = `${m.phase}|${m.outcome}|${m.lo}|${m.hi}|${m.moves}|${m.defenderTimeLeft}|${m.challengerTimeLeft}`;
      c.push({
        account: `game ${id}`, field: "phase|outcome|lo|hi|moves|clocks", contract: "DisputeGame", fn: "getGame", args: [BigInt(id)], memory,
        pick: (r) => `${GamePhase[r.phase]}|${GameOutcome[r.outcome]}|${r.lo}|${r.hi}|${r.moves}|${r.defenderTimeLeft}|${r.challengerTimeLeft}`,
      });
    }
    return c;
  }

  /** Compares the scope at the latest block; throws ReconciliationError on the first difference. */
  async check(ledger: Ledger, scope: ReconcileScope, block: bigint): Promise<number> {
    const checks = this.checks(ledger, scope);
    const params = checks.map((k) => {
      const data = encodeFunctionData({ abi: loadArtifact(k.contract).abi, functionName: k.fn, args: k.args } as never);
      return [{ to: this.accounts.address(k.contract) as Address, data }, "latest"];
    });
    const results = (await jsonRpcBatch(this.url, "eth_call", params, { label: (i) => `${checks[i].field} of ${checks[i].account}` })) as Hex[];
    this.reads += checks.length;
    for (let i = 0; i < checks.length; i++) {
      const k = checks[i];
      const decoded = decodeFunctionResult({ abi: loadArtifact(k.contract).abi, functionName: k.fn, data: results[i] } as never);
      const chain = str(k.pick ? k.pick(decoded) : decoded);
      if (chain !== k.memory.toLowerCase()) throw new ReconciliationError(k.account, k.field, chain, k.memory, block);
    }
    return checks.length;
  }
}
