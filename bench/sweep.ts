// bench/sweep.ts: local sweep throughput. Runs the same sweep (scenarios/burn-sweep.yaml, one
// seed per combination: 24 points of a simulated year each) with 1 worker and with 2 workers in
// this process, and prints JSON lines {"bench":"sweep","metric":..,"value":..,"unit":..}:
// speedup_2_workers (wall with 1 worker / wall with 2; target >= 1.8 on 2 cores) and points_per_s.
//   node_modules/.bin/bun bench/sweep.ts [--seeds N]
import { availableParallelism, tmpdir } from "node:os";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runSweep } from "../sim/sweep/runSweep.ts";

const seedsArg = process.argv.indexOf("--seeds");
const seeds = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 2;
const file = join(import.meta.dir, "..", "scenarios", "burn-sweep.yaml");
const work = mkdtempSync(join(tmpdir(), "gsim-bench-sweep-"));

function line(metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) {
  console.log(JSON.stringify({ bench: "sweep", metric, value: Number(value.toFixed(4)), unit, ...extra }));
}

async function timed(workers: number, tag: string): Promise<{ wall: number; points: number }> {
  const started = performance.now();
  const r = await runSweep(file, { out: join(work, tag), workers, quiet: true, sets: [`seeds.count=${seeds}`] });
  const wall = (performance.now() - started) / 1000;
  if (r.failed.length > 0) throw new Error(`bench sweep: ${r.failed.length} points failed: ${r.failed[0].message}`);
  return { wall, points: r.ran };
}

try {
  // Warm the file cache and the JIT of the parent once (not timed).
  await timed(2, "warm");
  const one = await timed(1, "w1");
  const two = await timed(2, "w2");
  const cores = availableParallelism();
  line("wall_1_worker", one.wall, "s", { points: one.points });
  line("wall_2_workers", two.wall, "s", { points: two.points });
  line("speedup_2_workers", one.wall / two.wall, "x", { target: 1.8, cores });
  line("points_per_s", two.points / two.wall, "points/s", { workers: 2, point: "tokenomics, 365 days x 12 ticks" });
  if (cores > 2) {
    const all = await timed(cores, "wall");
    line("points_per_s_all_cores", all.points / all.wall, "points/s", { workers: cores });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
