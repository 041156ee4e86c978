// How often is a lying DiLoCo worker caught when verifiers re-execute a sampled share p of the
// contributions? protocol-e2e (40 workers, 16 liars of 8 kinds, 10 rounds) over 16 seeds at each
// p; a liar lies in every round until caught, so with detection by re-execution the analytic catch
// probability is 1 - (1 - p)^k, k = the rounds it would lie in (10). The pooled empirical rate and
// its 95% Wilson interval are compared with it; a lie that changes no bits would pull it below.
//   node_modules/.bin/bun notebooks/catchRate.ts [--seeds 16]
import { writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ChartWriter } from "../sim/report/writeReport.ts";
import type { VegaLiteSpec } from "../sim/report/charts.ts";
import { runSpread, type Spread, type SpreadQuestion } from "./seedSpread.ts";

export const RATES = [0.05, 0.1, 0.2, 0.35];
/** Rounds a liar lies in when never caught (protocol-e2e: steps 100 / H 10). */
export const ROUNDS = 10;
const P = "workload.training.protocol";

/** 95% Wilson score interval of k successes in n trials. */
export function wilson(k: number, n: number, z = 1.959964): { lo: number; hi: number } {
  if (n === 0) return { lo: 0, hi: 1 };
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { lo: Math.max(0, c - h), hi: Math.min(1, c + h) };
}

export interface RateRow {
  p: number;
  liars: number;
  caught: number;
  rate: number;
  lo: number;
  hi: number;
  analytic: number;
  inside: boolean;
}

export function pooled(s: Spread): RateRow[] {
  return RATES.map((p) => {
    const sum = (m: string) => s.of(`p=${p}: ${m}`).reduce((a, b) => a + b, 0);
    const liars = sum("liars");
    const caught = sum("liars caught");
    const { lo, hi } = wilson(caught, liars);
    const analytic = 1 - (1 - p) ** ROUNDS;
    return { p, liars, caught, rate: caught / liars, lo, hi, analytic, inside: analytic >= lo && analytic <= hi };
  });
}

export const question: SpreadQuestion = {
  slug: "catch-rate",
  question: "How often is a lying DiLoCo worker caught when verifiers re-execute a share p of the contributions?",
  sweeps: RATES.map((p) => ({
    scenario: "scenarios/protocol-e2e.yaml",
    sets: [`workload.training.verification.rate=${p}`],
    metrics: {
      [`p=${p}: liars`]: `${P}.liars`,
      [`p=${p}: liars caught`]: `${P}.liarsCaught`,
      [`p=${p}: share of liars caught`]: `${P}.liarsCaught / ${P}.liars`,
      [`p=${p}: wrong contributions missed`]: `${P}.lies.missed`,
      [`p=${p}: honest parties that lost a dispute`]: `${P}.disputes.honestLost`,
      [`p=${p}: disputes where chain and Verde disagree`]: `${P}.disputes.crossChecked - ${P}.disputes.chainAgreesWithVerde`,
      [`p=${p}: verifier compute / training compute`]: `${P}.verifierComputeShare`,
      [`p=${p}: held-out loss`]: "workload.training.heldOutLoss",
    },
  })),
  answer: (s) => {
    const rows = pooled(s);
    const lines = rows.map((r) => `p = ${r.p}: ${r.caught}/${r.liars} liars caught = ${r.rate.toFixed(3)} (95% CI ${r.lo.toFixed(3)}-${r.hi.toFixed(3)}) vs analytic 1-(1-p)^${ROUNDS} = ${r.analytic.toFixed(3)}: ${r.inside ? "inside" : "OUTSIDE"} the interval; per seed ${s.quote(`p=${r.p}: share of liars caught`)}, verifier compute ${s.quote(`p=${r.p}: verifier compute / training compute`)} of training, honest parties that lost a dispute ${s.quote(`p=${r.p}: honest parties that lost a dispute`)}, chain/Verde disagreements ${s.quote(`p=${r.p}: disputes where chain and Verde disagree`)}.`);
    return `Detection is the comparison of a verifier's re-executed result hash with the committed one; a caught liar is the loser of the DisputeGame on chain.\n\n${lines.map((l) => `- ${l}`).join("\n")}`;
  },
};

function chartSpec(rows: RateRow[]): VegaLiteSpec {
  const curve = Array.from({ length: 41 }, (_, i) => i / 100).map((p) => ({ p, analytic: 1 - (1 - p) ** ROUNDS }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Share of liars caught vs sampling rate p (pooled over seeds; analytic 1-(1-p)^${ROUNDS})`,
    width: 480,
    height: 300,
    layer: [
      { data: { values: curve }, mark: { type: "line", color: "#c00" }, encoding: { x: { field: "p", type: "quantitative", title: "verification rate p" }, y: { field: "analytic", type: "quantitative", title: "share of liars caught", scale: { domain: [0, 1] } } } },
      { data: { values: rows }, mark: { type: "rule", color: "#246", strokeWidth: 2 }, encoding: { x: { field: "p", type: "quantitative" }, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } },
      { data: { values: rows }, mark: { type: "point", filled: true, color: "#246", size: 60 }, encoding: { x: { field: "p", type: "quantitative" }, y: { field: "rate", type: "quantitative" } } },
    ],
  } as unknown as VegaLiteSpec;
}

if (import.meta.main) {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { seeds: { type: "string" }, out: { type: "string" }, workers: { type: "string" } } });
  const r = await runSpread(question, { seeds: values.seeds ? Number(values.seeds) : undefined, out: values.out, workers: values.workers ? Number(values.workers) : undefined, quiet: false });
  const rows = pooled(r.spread);
  const charts = new ChartWriter(r.out);
  await charts.add("catch-rate", "share of liars caught vs p", chartSpec(rows));
  writeFileSync(join(r.out, "catch-rate.json"), JSON.stringify(rows, null, 2) + "\n");
  appendFileSync(join(r.out, "answer.md"), `\n![share of liars caught vs p](charts/catch-rate.svg)\n`);
  console.log(r.answer);
}
