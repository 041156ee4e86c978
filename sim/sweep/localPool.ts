// Local mode: N worker processes (Bun.spawn of pointWorker.ts, default one per core) pull points
// one at a time, so every core stays busy until the queue is empty (STYLE: cadCAD's idle CPUs).
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { SweepPoint } from "./expandSweep.ts";
import type { FromWorker, ToWorker } from "./pointWorker.ts";
import type { PointInput } from "./runPoint.ts";

export interface PoolOptions {
  workers?: number;
  /** Called after each point finishes (done or failed). */
  onPoint?: (id: string, ok: boolean, message?: string) => void;
  /** Where spawned workers' pids are reported (tests kill them). */
  onSpawn?: (pid: number) => void;
}

export interface PoolResult {
  done: string[];
  failed: { id: string; message: string }[];
  /** CPU seconds (user + system) the worker processes used, when the runtime reports it. */
  workerCpuS: number;
}

const WORKER = join(import.meta.dir, "pointWorker.ts");

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export async function runLocalPool(plan: PointInput, dir: string, points: readonly SweepPoint[], o: PoolOptions = {}): Promise<PoolResult> {
  const n = Math.max(1, Math.min(o.workers ?? defaultWorkers(), points.length));
  const result: PoolResult = { done: [], failed: [], workerCpuS: 0 };
  if (points.length === 0) return result;
  let next = 0;
  let inFlight = 0;
  return await new Promise<PoolResult>((resolvePool, rejectPool) => {
    const procs: ReturnType<typeof Bun.spawn>[] = [];
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      for (const p of procs) {
        try {
          p.send({ type: "stop" } satisfies ToWorker);
        } catch {}
        p.kill();
      }
      if (err) return rejectPool(err);
      Promise.all(procs.map((p) => p.exited)).then(() => {
        for (const p of procs) {
          const cpu = p.resourceUsage()?.cpuTime;
          if (cpu) result.workerCpuS += Number(cpu.user + cpu.system) / 1e6;
        }
        resolvePool(result);
      });
    };
    const feed = (proc: ReturnType<typeof Bun.spawn>) => {
      if (next < points.length) {
        inFlight++;
        proc.send({ type: "run", point: points[next++] } satisfies ToWorker);
      } else if (inFlight === 0) finish();
    };
    for (let i = 0; i < n; i++) {
      const proc = Bun.spawn([process.execPath, WORKER], {
        stdio: ["ignore", "inherit", "inherit"],
        ipc(m: FromWorker, self) {
          if (m.type === "ready") return feed(self);
          inFlight--;
          if (m.type === "done") {
            result.done.push(m.id);
            o.onPoint?.(m.id, true);
          } else {
            result.failed.push({ id: m.id, message: m.message });
            o.onPoint?.(m.id, false, m.message);
          }
          feed(self);
        },
        onExit(_p, code, signal) {
          if (!finished) finish(new Error(`sweep worker exited unexpectedly (code ${code}, signal ${signal})`));
        },
      });
      procs.push(proc);
      o.onSpawn?.(proc.pid);
      proc.send({ type: "plan", plan, dir } satisfies ToWorker);
    }
  });
}
