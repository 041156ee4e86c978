// Reports: percentiles, CSV/Arrow tables, SVG/PNG charts, and the page in headless Chromium.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as aq from "arquero";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { runSweep } from "../sweep/runSweep.ts";
import { tempDir, writeSmallSweep } from "../sweep/sweepTestKit.ts";
import { readResults } from "./readResults.ts";
import { writeReport } from "./writeReport.ts";

const work = tempDir("report");
const sweepDir = join(work, "sweep");
const reportDir = join(work, "report");
let charts = 0;

beforeAll(async () => {
  const file = writeSmallSweep(work, { seeds: 3, days: 12 });
  await runSweep(file, { out: sweepDir, workers: 2, quiet: true });
  charts = (await writeReport(sweepDir, reportDir, { metrics: ["econ.price", "econ.burned", "econ.treasury"], finals: ["workload.burned", "workload.runwayYearsMin"] })).charts;
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("gsim report on a sweep", () => {
  test("P50 across seeds matches the per-point values", () => {
    const rs = readResults(sweepDir);
    const csv = aq.fromCSV(readFileSync(join(reportDir, "tables", "summary_percentiles.csv"), "utf8"));
    const row = csv.params({ m: "workload.burned" }).filter((d: any, $: any) => d.metric === $.m && d.combo === 1).objects()[0] as any;
    const burned = rs.points.filter((p) => p.combo === 1).map((p) => (p.summary.workload as any).burned as number);
    expect(burned.length).toBe(3);
    // By hand, not through simple-statistics (which the report itself uses): linear interpolation
    // between order statistics at position (n - 1) * p, so with 3 seeds P05 sits 10% of the way
    // from the smallest to the middle value and P95 90% of the way from the middle to the largest.
    const [lo, mid, hi] = [...burned].sort((a, b) => a - b);
    expect(lo).toBeLessThan(hi); // the seeds really differ, so the three bands are distinguishable
    expect(row.p05).toBeCloseTo(lo + 0.1 * (mid - lo), 6);
    expect(row.p50).toBeCloseTo(mid, 6);
    expect(row.p95).toBeCloseTo(mid + 0.9 * (hi - mid), 6);
  });

  test("tables are written as CSV and Arrow IPC with the same rows", () => {
    const bytes = readFileSync(join(reportDir, "tables", "points.arrow"));
    expect(bytes.subarray(0, 6).toString("latin1")).toBe("ARROW1"); // the IPC file format (Feather v2)
    const arrow = aq.fromArrow(bytes);
    const csv = aq.fromCSV(readFileSync(join(reportDir, "tables", "points.csv"), "utf8"));
    expect(arrow.numRows()).toBe(12);
    expect(csv.numRows()).toBe(12);
    expect(arrow.columnNames()).toContain("workload.buyback.burnShare");
    expect(arrow.array("workload.burned")).toEqual(csv.array("workload.burned"));
    const traj = aq.fromArrow(readFileSync(join(reportDir, "tables", "trajectories.arrow")));
    expect(traj.numRows()).toBe(4 * 3 * 12); // combos x metrics x days
  });

  test("every chart exists as SVG and PNG", () => {
    expect(charts).toBe(5);
    const png = readFileSync(join(reportDir, "charts", "trajectory-econ.price.png"));
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(readFileSync(join(reportDir, "charts", "final-workload.burned.svg"), "utf8")).toStartWith("<svg");
  });

  test("the page loads in headless Chromium offline, without console errors, and its charts render", async () => {
    expect(existsSync("/usr/bin/chromium")).toBe(true);
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(`file://${join(reportDir, "index.html")}`, { waitUntil: "load" });
      expect(errors).toEqual([]);
      expect(requests.every((u) => u.startsWith("file://"))).toBe(true);
      const rendered = await page.$$eval("figure.chart svg", (svgs) =>
        svgs.map((s) => ({ w: s.getBoundingClientRect().width, marks: s.querySelectorAll("path, line, circle").length })),
      );
      expect(rendered.length).toBe(5);
      for (const r of rendered) {
        expect(r.w).toBeGreaterThan(100);
        expect(r.marks).toBeGreaterThan(3);
      }
      expect(await page.title()).toContain("small-sweep");
    } finally {
      await browser.close();
    }
  }, 60_000);

  test("a directory that is neither a run nor a sweep is refused", () => {
    expect(() => readResults(work)).toThrow("neither a run directory");
  });
});
