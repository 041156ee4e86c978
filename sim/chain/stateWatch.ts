// Which parts of the ledger a block's reconciliation compares: every account whose memory state
// changed since the last reconciled block, a few unchanged ones in round robin (so a change the
// chain made and memory did not is found too), the jobs and games the block's calls touched,
// and all global totals. The end of a run compares every account.
import type { Account, LedgerEntry } from "../../core/ledger/ledger.ts";
import type { MemoryLedger } from "../../core/ledger/memoryLedger.ts";
import type { ReconcileScope } from "./reconcile.ts";

function stateLine(m: MemoryLedger, a: Account): string {
  const p = m.pendingUnstake(a);
  return `${m.balanceOf(a, "GSN")}|${m.balanceOf(a, "USD")}|${m.stakeOf(a)}|${p.amount}|${p.unlockAt}`;
}

export class StateWatch {
  private reconciled = new Map<Account, string>();
  private cursor = 0;

  constructor(
    private readonly memory: MemoryLedger,
    private readonly auditPerBlock: number,
  ) {}

  /** Accounts changed since the last reconciliation, plus `auditPerBlock` unchanged ones. */
  changedAndAudited(): Account[] {
    const all = this.memory.accounts();
    const changed: Account[] = [];
    const unchanged: Account[] = [];
    for (const a of all) (this.reconciled.get(a) === stateLine(this.memory, a) ? unchanged : changed).push(a);
    for (let i = 0; i < Math.min(this.auditPerBlock, unchanged.length); i++) {
      changed.push(unchanged[(this.cursor + i) % unchanged.length]);
    }
    this.cursor += this.auditPerBlock;
    return changed;
  }

  /** Every account, job and game. */
  everything(): ReconcileScope {
    const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    return { accounts: this.memory.accounts(), jobs: range(this.memory.jobCount()), games: range(this.memory.gameCount()) };
  }

  /** Remembers the memory state that the chain has just been found to agree with. */
  markReconciled(): void {
    const next = new Map<Account, string>();
    for (const a of this.memory.accounts()) next.set(a, stateLine(this.memory, a));
    this.reconciled = next;
  }
}

/** Jobs and games that a block's calls created or changed. */
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
