import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { runSweep } from "./runSweep.ts";
import { CLI, digestDir, startRedis, tempDir, writeSmallSweep } from "./sweepTestKit.ts";

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

  test("an unreachable Redis is a clear error", async () => {
    const file = writeSmallSweep(work);
    await expect(runSweep(file, { out: join(work, "nowhere"), queue: "redis://127.0.0.1:1", quiet: true })).rejects.toThrow("Redis did not answer");
  }, 20_000);
});
