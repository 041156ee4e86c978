// Charts: vega-lite specs compiled to vega, rendered headless (View with renderer "none") to
// SVG, and to PNG with @resvg/resvg-js (system font DejaVu Sans). No browser needed.
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import * as vl from "vega-lite";
import type { SummaryRow, TrajectoryRow } from "./percentiles.ts";

export type VegaLiteSpec = vl.TopLevelSpec;

export interface RenderedChart {
  svg: string;
  png: Uint8Array;
}

export async function renderChart(spec: VegaLiteSpec): Promise<RenderedChart> {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, { background: "white", font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
    return { svg, png };
  } finally {
    view.finalize();
  }
}

const DAY_US = 86_400_000_000;
const HOUR_US = 3_600_000_000;
const MAX_POINTS_PER_SERIES = 240;

/** How a combination is drawn: its panel (facet) and its series within the panel. */
export interface SeriesKey {
  facet: string;
  series: string;
}

/**
 * P50 lines with a P05-P95 band per combination, over virtual time (days or hours). With a
 * `split`, combinations are spread over panels (e.g. one per burn share) to stay readable.
 */
export function trajectorySpec(metric: string, rows: readonly TrajectoryRow[], seeds: number, split?: ReadonlyMap<number, SeriesKey>): VegaLiteSpec {
  const maxT = rows.reduce((m, r) => Math.max(m, r.t), 0);
  const unit = maxT >= 2 * DAY_US ? { name: "day", us: DAY_US } : { name: "hour", us: HOUR_US };
  // Thin long series for the chart (tables keep every sample).
  const byCombo = new Map<number, TrajectoryRow[]>();
  for (const r of rows) {
    let list = byCombo.get(r.combo);
    if (!list) byCombo.set(r.combo, (list = []));
    list.push(r);
  }
  const values: Record<string, unknown>[] = [];
  for (const [combo, list] of byCombo) {
    const key = split?.get(combo);
    const stride = Math.max(1, Math.ceil(list.length / MAX_POINTS_PER_SERIES));
    for (let i = 0; i < list.length; i++) {
      if (i % stride !== 0 && i !== list.length - 1) continue;
      const r = list[i];
      values.push({ x: r.t / unit.us, p05: r.p05, p50: r.p50, p95: r.p95, label: key ? key.series : r.label, facet: key ? key.facet : "" });
    }
  }
  const series = new Set(values.map((v) => v.label)).size;
  const color = series > 1 ? { field: "label", type: "nominal" as const, title: null, sort: null, legend: { orient: "bottom" as const, columns: split ? 1 : 2, labelLimit: 600 } } : { value: "#4c78a8" };
  const x = { field: "x", type: "quantitative" as const, title: unit.name, scale: { nice: false } };
  const layer = [
    { mark: { type: "area", opacity: series > 3 ? 0.1 : 0.18 }, encoding: { x, y: { field: "p05", type: "quantitative", title: null, scale: { zero: false } }, y2: { field: "p95" }, color } },
    { mark: { type: "line", strokeWidth: 1.5 }, encoding: { x, y: { field: "p50", type: "quantitative", title: null, scale: { zero: false } }, color } },
  ];
  const title = { text: metric, subtitle: seeds > 1 ? `P50 line, P05-P95 band across ${seeds} seeds` : "one run" };
  const config = { legend: { symbolType: "stroke", symbolOpacity: 1, symbolStrokeWidth: 2 } };
  if (split) {
    return {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title, config,
      data: { values },
      facet: { field: "facet", type: "nominal", title: null, sort: null },
      columns: 2,
      spec: { width: 420, height: 180, layer },
    } as unknown as VegaLiteSpec;
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title, config, width: 640, height: 240,
    data: { values },
    layer,
  } as unknown as VegaLiteSpec;
}

/** Final values: a P05-P95 rule and a P50 dot per combination. */
export function finalsSpec(metric: string, rows: readonly SummaryRow[], seeds: number): VegaLiteSpec {
  const values = rows.map((r) => ({ label: r.label, p05: r.p05, p50: r.p50, p95: r.p95 }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: metric, subtitle: seeds > 1 ? `P50 dot, P05-P95 rule across ${seeds} seeds` : "one run" },
    width: 520,
    height: { step: 16 },
    data: { values },
    encoding: { y: { field: "label", type: "nominal", sort: null, title: null, axis: { labelLimit: 420 } } },
    layer: [
      { mark: { type: "rule", color: "#888" }, encoding: { x: { field: "p05", type: "quantitative", title: null, scale: { zero: false } }, x2: { field: "p95" } } },
      { mark: { type: "point", filled: true, color: "#e45756", size: 40 }, encoding: { x: { field: "p50", type: "quantitative" } } },
    ],
  } as VegaLiteSpec;
}
