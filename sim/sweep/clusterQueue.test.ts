// Cluster sweeps through a real redis-server: identical to local, resumable after the coordinator dies.
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { runSweep } from "./runSweep.ts";
import { CLI, digestDir, pointIds, startRedis, tempDir, writeSmallSweep } from "./sweepTestKit.ts";

const work = tempDir("cluster");
const spawned: ReturnType<typeof Bun.spawn>[] = [];
afterAll(() => {
  for (const p of spawned) p.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

describe("a sweep through a real redis-server", () => {
  test("two `gsim worker` processes give byte-identical results to the local sweep", async () => {
    const file = writeSmallSweep(work);
    const local = join(work, "local");
    const cluster = join(work, "cluster");
    const l = await runSweep(file, { out: local, workers: 2, quiet: true });
    expect(l.failed).toEqual([]);

    const redis = await startRedis();
    spawned.push(redis.proc);
    const workers = [0, 1].map(() => Bun.spawn([process.execPath, CLI, "worker", "--queue", redis.url, "--quiet"], { stdout: "ignore", stderr: "inherit" }));
    spawned.push(...workers);
    const c = await runSweep(file, { out: cluster, queue: redis.url, quiet: true });
    expect(c.failed).toEqual([]);
    expect(c.ran).toBe(12);

    const a = digestDir(local);
    const b = digestDir(cluster);
    expect(Object.keys(b).length).toBe(2 + 12 * 4); // sweep.json, index.json, 4 files per point
    expect(b).toEqual(a);
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
    redis.proc.kill("SIGKILL");
    await redis.proc.exited;
  }, 60_000);

  test("a killed sweep coordinator, resumed, collects points finished meanwhile from Redis without recomputing", async () => {
    const file = writeSmallSweep(work, { seeds: 2, days: 10 });
    const reference = join(work, "reference");
    await runSweep(file, { out: reference, workers: 2, quiet: true });
    const redis = await startRedis();
    spawned.push(redis.proc);
    const dir = join(work, "killed-coordinator");
    // The coordinator queues the points with no worker running, then dies.
    const coordinator = Bun.spawn([process.execPath, CLI, "sweep", file, "--out", dir, "--queue", redis.url], { stdout: "ignore", stderr: "pipe" });
    spawned.push(coordinator);
    const reader = coordinator.stderr.getReader();
    let said = "";
    while (!said.includes("points queued")) {
      const { value, done } = await reader.read();
      if (done) break;
      said += new TextDecoder().decode(value);
    }
    expect(said).toContain("8 points queued");
    coordinator.kill("SIGKILL");
    await coordinator.exited;
    expect(pointIds(dir)).toEqual([]);
    // Workers process every point while nobody collects; then they stop.
    const workers = [0, 1].map(() => Bun.spawn([process.execPath, CLI, "worker", "--queue", redis.url, "--quiet"], { stdout: "ignore", stderr: "inherit" }));
    spawned.push(...workers);
    const { Queue } = await import("bullmq");
    const { connect, QUEUE_NAME } = await import("./clusterQueue.ts");
    const conn = connect(redis.url);
    const queue = new Queue(QUEUE_NAME, { connection: conn });
    for (let i = 0; i < 600; i++) {
      const c = await queue.getJobCounts("completed");
      if (c.completed === 8) break;
      await Bun.sleep(50);
    }
    expect((await queue.getJobCounts("completed")).completed).toBe(8);
    for (const w of workers) w.kill("SIGTERM");
    await Promise.all(workers.map((w) => w.exited));
    // Resume with no worker alive: every result comes back from Redis.
    const resumed = await runSweep(file, { out: dir, queue: redis.url, resume: true, quiet: true });
    expect(resumed.failed).toEqual([]);
    expect(resumed.ran).toBe(8);
    expect(digestDir(dir)).toEqual(digestDir(reference));
    expect((await queue.getJobCounts("completed")).completed).toBe(0); // removed once written
    await queue.close();
    conn.disconnect();
    redis.proc.kill("SIGKILL");
    await redis.proc.exited;
  }, 60_000);

  test("an unreachable Redis is a clear error", async () => {
    const file = writeSmallSweep(work);
    await expect(runSweep(file, { out: join(work, "nowhere"), queue: "redis://127.0.0.1:1", quiet: true })).rejects.toThrow("Redis did not answer");
  }, 20_000);
});
