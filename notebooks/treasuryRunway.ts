// Notebook: which burn share keeps the treasury's runway above 2 years at P05 (across seeds),
// for each protocol fee and demand scenario? Reads a finished burn sweep, answers with arquero,
// writes a report (answer.md, index.html with a chart, answer.csv / answer.arrow).
//   bun sim/cli.ts sweep scenarios/burn-sweep.yaml --out runs/burn-sweep
//   bun notebooks/treasuryRunway.ts runs/burn-sweep --out reports/treasury-runway [--years 2]
import * as aq from "arquero";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ChartWriter, pointRows } from "../sim/report/writeReport.ts";
import { escapeHtml } from "../sim/report/htmlPage.ts";
import { readResults } from "../sim/report/readResults.ts";
import { tableOf, writeTable } from "../sim/report/tables.ts";
import type { VegaLiteSpec } from "../sim/report/charts.ts";

const op = aq.op;
const { values, positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { out: { type: "string" }, years: { type: "string" } } });
if (positionals.length !== 1 || !values.out) {
  console.error("usage: bun notebooks/treasuryRunway.ts SWEEP_DIR --out DIR [--years 2]");
  process.exit(2);
}
const years = Number(values.years ?? 2);
const out = resolve(values.out);
mkdirSync(out, { recursive: true });

// 1. One row per run, the columns this question needs.
const rs = readResults(positionals[0]);
const runs = tableOf(pointRows(rs)).select({
  "workload.buyback.burnShare": "burnShare",
  "workload.fees.protocolFeeShare": "protocolFee",
  "workload.demand.baseFeesPerDay": "demandBase",
  "workload.demand.annualGrowth": "demandGrowth",
  "workload.runwayYearsMin": "runwayMin",
  "workload.runwayYearsFinal": "runwayFinal",
  "workload.burned": "burned",
  "workload.finalPrice": "finalPrice",
  seed: "seed",
});

// 2. P05 / P50 across seeds per (fee, demand, burn share).
const bands = runs
  .derive({ demand: aq.escape((d: any) => `${d.demandBase / 1e6}M/day ${d.demandGrowth >= 0 ? "+" : ""}${Math.round(d.demandGrowth * 100)}%/yr`) })
  .groupby("protocolFee", "demand", "demandBase", "burnShare")
  .rollup({
    seeds: op.count(),
    runwayMinP05: op.quantile("runwayMin", 0.05),
    runwayMinP50: op.median("runwayMin"),
    runwayFinalP05: op.quantile("runwayFinal", 0.05),
    burnedP50: op.median("burned"),
    finalPriceP50: op.median("finalPrice"),
  })
  .orderby("protocolFee", "demandBase", "burnShare")
  .derive({ keepsRunway: aq.escape((d: any) => d.runwayMinP05 > years) });
writeTable(out, "answer", bands);

// 3. The answer: per (fee, demand), the largest burn share that keeps runway > years at P05.
const passing = bands.filter((d: any) => d.keepsRunway).groupby("protocolFee", "demand").rollup({ maxBurnShare: op.max("burnShare") });
const maxShare = new Map((passing.objects() as any[]).map((r) => [`${r.protocolFee}|${r.demand}`, r.maxBurnShare as number]));
const bestRows = (bands.groupby("protocolFee", "demand", "demandBase").rollup({ n: op.count() }).objects() as any[])
  .sort((a, b) => a.protocolFee - b.protocolFee || a.demandBase - b.demandBase)
  .map((r) => ({ protocolFee: r.protocolFee as number, demand: r.demand as string, maxBurnShare: maxShare.get(`${r.protocolFee}|${r.demand}`) ?? null }));
const shares = [...new Set(bands.array("burnShare") as number[])].sort((a, b) => a - b);
const everywhere = shares.filter((s) => (bands.objects() as any[]).filter((r) => r.burnShare === s).every((r) => r.keepsRunway));
const lines = bestRows.map((b) => `- protocol fee ${b.protocolFee * 100}%, demand ${b.demand}: ${b.maxBurnShare == null ? `no burn share in {${shares.join(", ")}} keeps it` : `burn share <= ${b.maxBurnShare}`}`);
const summary = everywhere.length > 0
  ? `Burn shares ${everywhere.join(", ")} keep the runway above ${years} years at P05 in every fee and demand scenario.`
  : `No burn share in {${shares.join(", ")}} keeps the treasury runway above ${years} years at P05 in every scenario; it depends on fee and demand:`;
const answer = `# Which burn share keeps treasury runway > ${years} years at P05?\n\nSweep ${rs.name}: ${rs.combos.length} combinations x ${Math.round(rs.points.length / rs.combos.length)} seeds; runway = treasury value / net daily outflow (minimum over the year).\n\n${summary}\n\n${lines.join("\n")}\n`;
writeFileSync(join(out, "answer.md"), answer);

// 4. Chart: P05 of the minimum runway against burn share, one line per demand, one panel per fee.
const spec = {
  $schema: "https://vega.github.io/schema/vega-lite/v6.json",
  data: { values: bands.objects() },
  facet: { column: { field: "protocolFee", type: "ordinal", title: "protocol fee share" } },
  spec: {
    width: 300,
    height: 220,
    layer: [
      { mark: { type: "line", point: true }, encoding: { x: { field: "burnShare", type: "quantitative", title: "burn share" }, y: { field: "runwayMinP05", type: "quantitative", title: "runway (years, P05 of yearly minimum)" }, color: { field: "demand", type: "nominal", sort: null } } },
      { mark: { type: "rule", strokeDash: [4, 4], color: "#c00" }, encoding: { y: { datum: years } } },
    ],
  },
  title: { text: `Treasury runway at P05 vs burn share (threshold ${years} years)` },
} as unknown as VegaLiteSpec;
const charts = new ChartWriter(out);
await charts.add("runway-p05", "P05 runway vs burn share", spec);
const c = charts.charts[0];
writeFileSync(join(out, "index.html"), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Treasury runway</title>
<style>body{font-family:"DejaVu Sans",sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.2rem .5rem}</style></head><body>
<pre>${escapeHtml(answer)}</pre>
<figure>${c.svg}<figcaption><a href="${c.svgFile}">SVG</a> &middot; <a href="${c.png}">PNG</a></figcaption></figure>
${aq.toHTML(bands)}
<p>Tables: <a href="answer.csv">answer.csv</a> &middot; <a href="answer.arrow">answer.arrow</a></p></body></html>
`);
console.log(answer);
console.log(`wrote ${join(out, "index.html")}`);
