// `gsim sweep`: plan, open the sweep directory, run the unfinished points (local worker pool or
// the Redis queue), then write index.json sorted by point id. Same bytes whichever way it ran.
import { ConfigError } from "../../core/errors.ts";
import { Progress } from "../progress.ts";
import { runLocalPool } from "./localPool.ts";
import { openSweepDir, planSweep, writeIndex, type SweepPlan } from "./sweepPlan.ts";

export interface SweepOptions {
  out: string;
  sets?: string[];
  workers?: number;
  /** redis://HOST:PORT: run points through BullMQ instead of local workers. */
  queue?: string;
  resume?: boolean;
  quiet?: boolean;
  onSpawn?: (pid: number) => void;
  /** Cluster mode: called once the points are on the queue. */
  onQueued?: (count: number) => void;
  /** Called after each point; in local mode with the worker's pid (tests kill one mid-sweep). */
  onPoint?: (id: string, ok: boolean, pid?: number) => void;
}

export interface SweepResult {
  plan: SweepPlan;
  ran: number;
  skipped: number;
  failed: { id: string; message: string }[];
  indexPath: string | null;
  /** CPU seconds used by local worker processes (0 in cluster mode). */
  workerCpuS: number;
}

export async function runSweep(file: string, o: SweepOptions): Promise<SweepResult> {
  const plan = planSweep(file, o.sets ?? []);
  // An unreachable Redis is bad input: found before DIR is created, so nothing is half-written.
  if (o.queue !== undefined) await (await import("./clusterQueue.ts")).probeRedis(o.queue);
  const finished = openSweepDir(o.out, plan, o.resume ?? false);
  const todo = plan.points.filter((p) => !finished.has(p.id));
  const progress = new Progress({ label: `sweep ${plan.name}`, total: plan.points.length, quiet: o.quiet, delayMs: 0 });
  let count = finished.size;
  const onPoint = (id: string, ok: boolean, _message?: string, pid?: number) => {
    progress.update(++count);
    o.onPoint?.(id, ok, pid);
  };
  let failed: { id: string; message: string }[];
  let workerCpuS = 0;
  if (o.queue !== undefined) {
    const { runClusterSweep } = await import("./clusterQueue.ts");
    failed = (await runClusterSweep(plan, o.out, todo, { url: o.queue, onPoint, onQueued: o.onQueued })).failed;
  } else {
    if (o.workers !== undefined && (!Number.isSafeInteger(o.workers) || o.workers < 1)) throw new ConfigError(`--workers: expected a positive integer, got ${o.workers}`);
    const pool = await runLocalPool(plan, o.out, todo, { workers: o.workers, onPoint, onSpawn: o.onSpawn });
    failed = pool.failed;
    workerCpuS = pool.workerCpuS;
  }
  progress.finish();
  failed.sort((a, b) => (a.id < b.id ? -1 : 1));
  const indexPath = failed.length === 0 ? writeIndex(o.out, plan) : null;
  return { plan, ran: todo.length - failed.length, skipped: finished.size, failed, indexPath, workerCpuS };
}
