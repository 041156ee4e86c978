// Local sweeps: SIGKILL midway then --resume gives the uninterrupted result; foreign directories refused.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runSweep } from "./runSweep.ts";
import { CLI, digestDir, pointIds, tempDir, writeSmallSweep } from "./sweepTestKit.ts";

const work = tempDir("resume");
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("gsim sweep, local workers", () => {
  test("a sweep killed midway (SIGKILL parent and workers) resumes to identical results", async () => {
    const file = writeSmallSweep(work, { burnShares: [0.1, 0.3, 0.5, 0.7, 0.9], seeds: 4, days: 90 });
    const reference = join(work, "reference");
    const ref = await runSweep(file, { out: reference, workers: 2, quiet: true });
    expect(ref.ran).toBe(40);

    const killed = join(work, "killed");
    const parent = Bun.spawn([process.execPath, CLI, "sweep", file, "--out", killed, "--workers", "2", "--quiet"], { stdout: "ignore", stderr: "ignore" });
    let seen = 0;
    for (let i = 0; i < 2000 && seen < 6; i++) {
      await Bun.sleep(10);
      seen = pointIds(killed).length;
    }
    const children = spawnSync("pgrep", ["-P", String(parent.pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number);
    parent.kill("SIGKILL");
    for (const pid of children) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    await parent.exited;
    const survived = pointIds(killed);
    expect(children.length).toBe(2);
    expect(survived.length).toBeGreaterThanOrEqual(seen);
    expect(survived.length).toBeLessThan(40); // killed midway
    expect(existsSync(join(killed, "index.json"))).toBe(false);

    // Without --resume the directory is refused; with it, nothing finished is recomputed.
    await expect(runSweep(file, { out: killed, workers: 2, quiet: true })).rejects.toThrow("--resume");
    const resumed = await runSweep(file, { out: killed, workers: 2, quiet: true, resume: true });
    expect(resumed.skipped).toBe(survived.length);
    expect(resumed.ran).toBe(40 - survived.length);
    expect(readdirSync(join(killed, "points")).filter((n) => n.includes("partial")).length).toBe(0);
    expect(digestDir(killed)).toEqual(digestDir(reference));
  }, 60_000);

  test("a worker killed mid-sweep costs only its point: reported failed, the rest finish, --resume completes", async () => {
    const file = writeSmallSweep(work, { seeds: 2, days: 60 });
    const dir = join(work, "worker-killed");
    const pids: number[] = [];
    let killed = false;
    const r = await runSweep(file, {
      out: dir, workers: 2, quiet: true,
      onSpawn: (pid) => pids.push(pid),
      onPoint: (_id, _ok, pid) => {
        if (!killed && pid !== undefined) {
          killed = true;
          process.kill(pid, "SIGKILL"); // the worker that just reported is already on its next point
        }
      },
    });
    expect(r.failed.length).toBe(1);
    expect(r.failed[0].message).toContain("died (code null, signal SIGKILL)");
    expect(pids.length).toBe(3); // the dead worker was replaced
    expect(r.ran).toBe(7);
    expect(r.indexPath).toBeNull();
    const resumed = await runSweep(file, { out: dir, workers: 2, quiet: true, resume: true });
    expect([resumed.ran, resumed.skipped, resumed.failed.length]).toEqual([1, 7, 0]);
  }, 60_000);

  test("a directory holding another sweep is refused on --resume", async () => {
    const file = writeSmallSweep(work, { seeds: 1, days: 5 });
    const dir = join(work, "other");
    await runSweep(file, { out: dir, workers: 1, quiet: true });
    const otherDir = join(work, "other-file");
    require("node:fs").mkdirSync(otherDir);
    const other = writeSmallSweep(otherDir, { seeds: 2, days: 5 });
    await expect(runSweep(other, { out: dir, resume: true, quiet: true })).rejects.toThrow("holds a different sweep");
  }, 30_000);
});
