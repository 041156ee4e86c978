// Local mode: N worker processes (Bun.spawn of pointWorker.ts, default one per core) pull points
// one at a time, so every core stays busy until the queue is empty (STYLE: cadCAD's idle CPUs).
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { SweepPoint } from "./expandSweep.ts";
import type { FromWorker, ToWorker } from "./pointWorker.ts";
import type { PointInput } from "./runPoint.ts";

export interface PoolOptions {
  workers?: number;
  /** Called after each point finishes (done or failed), with the pid of the worker that ran it. */
  onPoint?: (id: string, ok: boolean, message?: string, pid?: number) => void;
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

/**
 * Points queued per worker: the one it runs plus one waiting, so a worker never idles through
 * the parent's round trip (on a busy machine that gap is a large share of a short point).
 */
const DEPTH = 2;

export async function runLocalPool(plan: PointInput, dir: string, points: readonly SweepPoint[], o: PoolOptions = {}): Promise<PoolResult> {
  const n = Math.max(1, Math.min(o.workers ?? defaultWorkers(), points.length));
  const result: PoolResult = { done: [], failed: [], workerCpuS: 0 };
  if (points.length === 0) return result;
  const pending = [...points];
  return await new Promise<PoolResult>((resolvePool, rejectPool) => {
    type Proc = ReturnType<typeof Bun.spawn>;
    const procs: Proc[] = [];
    /** Points sent to each live worker, in order: the first is running, the rest wait. */
    const assigned = new Map<Proc, SweepPoint[]>();
    const exited: Proc[] = [];
    let finished = false;
    let startFailures = 0;
    const addCpu = (p: Proc) => {
      const cpu = p.resourceUsage()?.cpuTime;
      if (cpu) result.workerCpuS += Number(cpu.user + cpu.system) / 1e6;
    };
    const outstanding = () => {
      let k = 0;
      for (const list of assigned.values()) k += list.length;
      return k;
    };
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
        for (const p of [...procs, ...exited]) addCpu(p);
        resolvePool(result);
      });
    };
    const feed = (proc: Proc) => {
      const list = assigned.get(proc)!;
      // Queue a second point only while there is work for every worker (no tail imbalance).
      const depth = pending.length >= procs.length ? DEPTH : 1;
      while (list.length < depth && pending.length > 0) {
        const point = pending.shift()!;
        list.push(point);
        proc.send({ type: "run", point } satisfies ToWorker);
      }
      if (pending.length === 0 && outstanding() === 0) finish();
    };
    const spawn = () => {
      let ready = false;
      const proc: Proc = Bun.spawn([process.execPath, WORKER], {
        stdio: ["ignore", "inherit", "inherit"],
        ipc(m: FromWorker, self) {
          if (m.type === "ready") {
            ready = true;
            return feed(self);
          }
          const list = assigned.get(self)!;
          const i = list.findIndex((p) => p.id === m.id);
          if (i >= 0) list.splice(i, 1);
          if (m.type === "done") result.done.push(m.id);
          else result.failed.push({ id: m.id, message: m.message });
          feed(self); // keep the worker busy first, then report
          o.onPoint?.(m.id, m.type === "done", m.type === "failed" ? m.message : undefined, self.pid);
        },
        onExit(self, code, signal) {
          if (finished) return;
          // A worker that dies (killed, out of memory) loses only the point it was running:
          // that one is reported failed (--resume retries it), points still waiting for it go
          // back to the queue, and a fresh worker takes over.
          procs.splice(procs.indexOf(self), 1);
          exited.push(self);
          const list = assigned.get(self) ?? [];
          assigned.delete(self);
          if (!ready && ++startFailures > n) return finish(new Error(`sweep workers keep failing to start (last: code ${code}, signal ${signal})`));
          const [running, ...waiting] = list;
          pending.unshift(...waiting);
          if (running !== undefined) {
            const message = `worker ${self.pid} died (code ${code}, signal ${signal}) while running it`;
            result.failed.push({ id: running.id, message });
            o.onPoint?.(running.id, false, message);
          }
          if (pending.length > 0) spawn();
          else if (outstanding() === 0) finish();
        },
      });
      procs.push(proc);
      assigned.set(proc, []);
      o.onSpawn?.(proc.pid);
      proc.send({ type: "plan", plan, dir } satisfies ToWorker);
    };
    for (let i = 0; i < n; i++) spawn();
  });
}
