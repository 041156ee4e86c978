// The report page: one self-contained index.html (charts inlined as SVG, styles inline, no
// scripts, no network), so it opens offline and from a file:// URL.
import type { ResultSet } from "./readResults.ts";
import type { SummaryRow } from "./percentiles.ts";

export function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function fmt(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(3);
  return Number(v.toPrecision(5)).toString();
}

export interface PageChart {
  id: string;
  title: string;
  svg: string;
  png: string;
  svgFile: string;
}

export interface PageInput {
  rs: ResultSet;
  seeds: number;
  charts: PageChart[];
  finals: SummaryRow[];
  tables: { name: string; csv: string; arrow: string; rows: number }[];
  answer?: string;
}

export function htmlPage(p: PageInput): string {
  const { rs } = p;
  const title = `${rs.name}: ${rs.kind === "sweep" ? `sweep of ${rs.combos.length} combinations x ${p.seeds} seeds` : "run"}`;
  const combos = rs.kind === "sweep"
    ? `<table><tr><th>combo</th>${rs.paramPaths.map((k) => `<th>${escapeHtml(k)}</th>`).join("")}</tr>${rs.combos
        .map((c) => `<tr><td>${c.combo}</td>${rs.paramPaths.map((k) => `<td>${escapeHtml(String(c.params[k]))}</td>`).join("")}</tr>`)
        .join("")}</table>`
    : "";
  const finals = p.finals.length > 0
    ? `<h2>Final values (P05 / P50 / P95 across seeds)</h2><table><tr><th>combination</th><th>metric</th><th>P05</th><th>P50</th><th>P95</th><th>n</th></tr>${p.finals
        .map((r) => `<tr><td>${escapeHtml(r.label)}</td><td>${escapeHtml(r.metric)}</td><td>${fmt(r.p05)}</td><td>${fmt(r.p50)}</td><td>${fmt(r.p95)}</td><td>${r.n}</td></tr>`)
        .join("")}</table>`
    : "";
  const charts = p.charts
    .map((c) => `<figure id="${escapeHtml(c.id)}" class="chart">${c.svg}<figcaption>${escapeHtml(c.title)} &middot; <a href="${escapeHtml(c.svgFile)}">SVG</a> &middot; <a href="${escapeHtml(c.png)}">PNG</a></figcaption></figure>`)
    .join("\n");
  const tables = p.tables.map((t) => `<li>${escapeHtml(t.name)} (${t.rows} rows): <a href="${escapeHtml(t.csv)}">CSV</a> &middot; <a href="${escapeHtml(t.arrow)}">Arrow IPC</a></li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1.5rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
th{background:#f4f4f4}figure.chart{margin:1rem 0;border:1px solid #eee;padding:.5rem}figcaption{font-size:.8rem;color:#555}
.answer{background:#eef6ee;border-left:4px solid #54a24b;padding:.5rem 1rem}
</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Source: <code>${escapeHtml(rs.dir)}</code>, ${rs.points.length} run${rs.points.length === 1 ? "" : "s"}.</p>
${p.answer ? `<div class="answer">${p.answer}</div>` : ""}
${combos}
<h2>Charts</h2>
${charts}
${finals}
<h2>Tables</h2><ul>${tables}</ul>
</body></html>
`;
}
