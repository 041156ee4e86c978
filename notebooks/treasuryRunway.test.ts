// The treasury-runway notebook answers from a (small) burn sweep and writes its report.
import { afterAll, expect, test } from "bun:test";
import * as aq from "arquero";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSweep } from "../sim/sweep/runSweep.ts";
import { tempDir } from "../sim/sweep/sweepTestKit.ts";

const work = tempDir("notebook");
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("which burn share keeps runway above the threshold, per fee and demand", async () => {
  const file = join(work, "mini-burn.yaml");
  writeFileSync(file, `name: mini-burn
seed: 1
duration: 21d
nodes: {count: 1, hardware: cpu, regions: us-east}
workload:
  kind: tokenomics
  days: 20
  ticksPerDay: 4
  buyback: {executionsPerDay: 4}
  token: {treasuryShare: 0.01}
  treasury: {spendPerDay: 20000}
sweep:
  grid: {workload.buyback.burnShare: [0.3, 0.9], workload.fees.protocolFeeShare: [0.01]}
  zip: {workload.demand.baseFeesPerDay: [1000000, 8000000], workload.demand.annualGrowth: [0, 1]}
seeds: {from: 1, count: 2}
`);
  const sweep = join(work, "sweep");
  await runSweep(file, { out: sweep, workers: 2, quiet: true });
  const out = join(work, "report");
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "treasuryRunway.ts"), sweep, "--out", out, "--years", "1"], { stdout: "pipe", stderr: "pipe" });
  const code = await proc.exited;
  expect(await new Response(proc.stderr).text()).toBe("");
  expect(code).toBe(0);
  const answer = readFileSync(join(out, "answer.md"), "utf8");
  expect(answer).toContain("# Which burn share keeps treasury runway > 1 years at P05?");
  expect(answer).toContain("protocol fee 1%, demand 8M/day +100%/yr");
  const table = aq.fromArrow(readFileSync(join(out, "answer.arrow")));
  expect(table.numRows()).toBe(4); // 2 burn shares x 2 demands
  expect(table.columnNames()).toContain("runwayMinP05");
  // More burn leaves the treasury less: runway at P05 never rises with the burn share.
  const rows = table.objects() as { demand: string; burnShare: number; runwayMinP05: number }[];
  for (const d of new Set(rows.map((r) => r.demand))) {
    const [lo, hi] = rows.filter((r) => r.demand === d).sort((a, b) => a.burnShare - b.burnShare);
    expect(hi.runwayMinP05).toBeLessThanOrEqual(lo.runwayMinP05);
  }
  expect(existsSync(join(out, "charts", "runway-p05.png"))).toBe(true);
  expect(readFileSync(join(out, "index.html"), "utf8")).toContain("<svg");
}, 60_000);
