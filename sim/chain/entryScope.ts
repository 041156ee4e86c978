// Which jobs and games a block's ledger changes created or changed (what reconciliation reads
// besides the changed balances), or all of them at the end of a run.
import type { LedgerEntry } from "../../core/ledger/ledger.ts";
import type { MemoryLedger } from "../../core/ledger/memoryLedger.ts";
import type { ReconcileScope } from "./reconcile.ts";

export function entryScope(memory: MemoryLedger, entries: readonly LedgerEntry[]): { jobs: number[]; games: number[] } {
  const jobs = new Set<number>();
  const games = new Set<number>();
  for (const e of entries) {
    const c = e.call;
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
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { jobs: sorted(jobs), games: sorted(games) };
}

/** Every value: all accounts, jobs and games (the end of a run, and after deployment). */
export function everything(memory: MemoryLedger): ReconcileScope {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  return { all: true, jobs: range(memory.jobCount()), games: range(memory.gameCount()) };
}
