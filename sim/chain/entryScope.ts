// What a block's ledger changes can have touched: their senders and the parties they name, the
// jobs and games they created or moved with those jobs' and games' parties, and every contract
// and system account; or everything, at the end of a run. Reconciliation reads these.
import { contractAccounts, systemAccounts, type Account, type LedgerEntry } from "../../core/ledger/ledger.ts";
import type { MemoryLedger } from "../../core/ledger/memoryLedger.ts";
import type { ReconcileScope } from "./reconcile.ts";

/** Accounts, jobs and games a block's changes can have touched (what reconciliation reads). */
export function entryScope(memory: MemoryLedger, entries: readonly LedgerEntry[]): ReconcileScope {
  const jobs = new Set<number>();
  const games = new Set<number>();
  // Contracts and system accounts hold escrow, stakes, bonds, fees, reserves, treasury.
  const accounts = new Set<Account>([...Object.values(contractAccounts), ...Object.values(systemAccounts)]);
  const job = (id: number) => {
    const j = memory.job(id);
    accounts.add(j.submitter);
    if (j.solver !== null) accounts.add(j.solver);
    for (const v of j.verifiers) accounts.add(v);
  };
  for (const e of entries) {
    const c = e.call;
    accounts.add(c.args[0]);
    switch (c.method) {
      case "transfer": case "mintUsd":
        accounts.add(c.args[1]);
        break;
      case "slash":
        accounts.add(c.args[1]);
        accounts.add(c.args[3]);
        break;
    }
    switch (c.method) {
      case "postJob":
        jobs.add(e.result as number);
        break;
      case "cancelJob": case "assign": case "commit": case "finalize":
        jobs.add(c.args[1]);
        break;
      case "challenge":
        jobs.add(c.args[1]);
        games.add(e.result as number);
        break;
      case "claim": case "timeout": case "rule":
        games.add(c.args[1]);
        jobs.add(memory.game(c.args[1]).jobId);
        break;
    }
  }
  for (const id of jobs) job(id);
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { accounts: [...accounts].sort(), jobs: sorted(jobs), games: sorted(games) };
}

/** Every value: all accounts, jobs and games (the end of a run, and after deployment). */
export function everything(memory: MemoryLedger): ReconcileScope {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  return { accounts: "all", jobs: range(memory.jobCount()), games: range(memory.gameCount()) };
}
