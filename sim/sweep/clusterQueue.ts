// Cluster mode: sweep points go through BullMQ on Redis; `gsim worker --queue URL` processes on
// any machines pull them. Results come back through Redis (each point's run directory, gzipped,
// as the job's return value) and the sweep process writes them into DIR atomically, so workers
// need no shared filesystem. Jobs are kept until written: a killed sweep, resumed, collects
// points that finished meanwhile without recomputing them.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Queue, QueueEvents, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { ConfigError } from "../../core/errors.ts";
import type { SweepPoint } from "./expandSweep.ts";
import { runPoint, type PointInput } from "./runPoint.ts";
import type { SweepPlan } from "./sweepPlan.ts";

/** Default BullMQ queue name shared by `gsim sweep --queue` and `gsim worker`. */
export const QUEUE_NAME = "gsim-sweep";

export interface PointJob {
  sweepKey: string;
  plan: PointInput;
  point: SweepPoint;
}

/** A finished point: its run directory's files (name -> base64 of gzip), sorted by name. */
export interface PointResult {
  id: string;
  files: [string, string][];
}

/** Fails fast with a clear error when nothing answers at url (a probe that never reconnects). */
export async function probeRedis(url: string, timeoutMs = 5000): Promise<void> {
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError(`--queue: expected redis://HOST:PORT, got ${JSON.stringify(url)}`);
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, enableOfflineQueue: false });
  probe.on("error", () => {});
  try {
    await withTimeout(probe.connect().then(() => probe.ping()), timeoutMs, `--queue ${url}: Redis did not answer`);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`--queue ${url}: Redis did not answer (${(err as Error).message})`);
  } finally {
    probe.disconnect();
  }
}

/** A Redis connection for BullMQ (maxRetriesPerRequest null, as BullMQ requires). */
export function connect(url: string): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError(`--queue: expected redis://HOST:PORT, got ${JSON.stringify(url)}`);
  const r = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  r.on("error", () => {}); // reported by the caller's first command instead of an unhandled event
  return r;
}

export interface ClusterOptions {
  url: string;
  queueName?: string;
  onPoint?: (id: string, ok: boolean) => void;
  /** Called once the points are on the queue (with how many). */
  onQueued?: (count: number) => void;
}

/** Enqueues the points, waits for each result and writes it into DIR/points/<id>. */
export async function runClusterSweep(plan: SweepPlan, dir: string, points: readonly SweepPoint[], o: ClusterOptions): Promise<{ failed: { id: string; message: string }[] }> {
  const root = resolve(dir);
  await probeRedis(o.url);
  const sweepKey = createHash("sha256").update(`${root}\u0000${plan.scenarioHash}`).digest("hex").slice(0, 16);
  const name = o.queueName ?? QUEUE_NAME;
  const conn = connect(o.url);
  const eventsConn = connect(o.url);
  const queue = new Queue(name, { connection: conn });
  const events = new QueueEvents(name, { connection: eventsConn });
  // One waiter per point listens on both (BullMQ's closing / completed listeners).
  queue.setMaxListeners(points.length + 16);
  events.setMaxListeners(points.length + 16);
  const failed: { id: string; message: string }[] = [];
  try {
    await events.waitUntilReady();
    const input: PointInput = { doc: plan.doc, file: plan.file };
    // A job that failed before (e.g. in a killed sweep) is retried: remove it first.
    for (const p of points) {
      const old = await queue.getJob(`${sweepKey}-${p.id}`);
      if (old && (await old.isFailed())) await old.remove();
    }
    const jobs = await queue.addBulk(points.map((point) => ({
      name: "point",
      data: { sweepKey, plan: input, point } satisfies PointJob,
      opts: { jobId: `${sweepKey}-${point.id}`, removeOnComplete: false, removeOnFail: false, attempts: 1 },
    })));
    o.onQueued?.(jobs.length);
    await Promise.all(jobs.map(async (job, i) => {
      const point = points[i];
      try {
        const res = (await job.waitUntilFinished(events)) as PointResult;
        writePointResult(root, res);
        await job.remove();
        o.onPoint?.(point.id, true);
      } catch (err) {
        failed.push({ id: point.id, message: err instanceof Error ? err.message : String(err) });
        o.onPoint?.(point.id, false);
      }
    }));
  } finally {
    await events.close();
    await queue.close();
    conn.disconnect();
    eventsConn.disconnect();
  }
  return { failed };
}

/** Writes a point's files to a partial directory and renames it into place. */
export function writePointResult(root: string, res: PointResult): void {
  const final = join(root, "points", res.id);
  if (existsSync(join(final, "summary.json"))) return; // already written (a resumed sweep)
  const partial = `${final}.partial-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  mkdirSync(partial, { recursive: true });
  for (const [name, b64] of res.files) {
    if (name.includes("/") || name.includes("..")) throw new ConfigError(`point ${res.id}: refusing a result file named ${JSON.stringify(name)}`);
    writeFileSync(join(partial, name), Bun.gunzipSync(Buffer.from(b64, "base64")));
  }
  rmSync(final, { recursive: true, force: true });
  renameSync(partial, final);
}

/** The worker side: run the point in a private temporary directory, return its files. */
export async function processPointJob(job: Job<PointJob>): Promise<PointResult> {
  const { plan, point } = job.data;
  const tmp = mkdtempSync(join(tmpdir(), "gsim-worker-"));
  try {
    const dir = join(tmp, point.id);
    await runPoint(plan, point, dir);
    const files: [string, string][] = readdirSync(dir).sort().map((name) => [name, Buffer.from(Bun.gzipSync(readFileSync(join(dir, name)))).toString("base64")]);
    return { id: point.id, files };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export interface WorkerHandle {
  worker: Worker<PointJob, PointResult>;
  close(): Promise<void>;
}

/** Starts a BullMQ worker that processes sweep points until closed. */
export async function startQueueWorker(url: string, o: { queueName?: string; concurrency?: number; log?: (line: string) => void } = {}): Promise<WorkerHandle> {
  await probeRedis(url);
  const conn = connect(url);
  const worker = new Worker<PointJob, PointResult>(o.queueName ?? QUEUE_NAME, processPointJob, {
    connection: conn,
    concurrency: o.concurrency ?? 1,
    lockDuration: 10 * 60_000,
  });
  // Without an error listener a lost connection spins silently (STACK.md).
  worker.on("error", (err) => o.log?.(`gsim worker: ${err.message}`));
  worker.on("failed", (job, err) => o.log?.(`gsim worker: point ${job?.data.point.id ?? "?"} failed: ${err.message}`));
  await worker.waitUntilReady();
  return {
    worker,
    async close() {
      await worker.close();
      conn.disconnect();
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new ConfigError(message)), ms);
    }),
  ]);
}
