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

/** P50 lines with a P05-P95 band per combination, over virtual time (days or hours). */
export function trajectorySpec(metric: string, rows: readonly TrajectoryRow[], seeds: number): VegaLiteSpec {
  const maxT = rows.reduce((m, r) => Math.max(m, r.t), 0);
  const unit = maxT >= 2 * DAY_US ? { name: "day", us: DAY_US } : { name: "hour", us: HOUR_US };
  // Thin long series for the chart (tables keep every sample).
  const byLabel = new Map<string, TrajectoryRow[]>();
  for (const r of rows) {
    let list = byLabel.get(r.label);
    if (!list) byLabel.set(r.label, (list = []));
    list.push(r);
  }
  const values: Record<string, unknown>[] = [];
  for (const list of byLabel.values()) {
    const stride = Math.max(1, Math.ceil(list.length / MAX_POINTS_PER_SERIES));
    for (let i = 0; i < list.length; i++) {
      if (i % stride !== 0 && i !== list.length - 1) continue;
      const r = list[i];
      values.push({ x: r.t / unit.us, p05: r.p05, p50: r.p50, p95: r.p95, label: r.label });
    }
  }
  const many = byLabel.size > 1;
  const color = many ? { field: "label", type: "nominal" as const, title: null, legend: { orient: "bottom" as const, columns: 2, labelLimit: 420 } } : { value: "#4c78a8" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: metric, subtitle: seeds > 1 ? `P50 line, P05-P95 band across ${seeds} seeds` : "one run" },
    width: 640,
    height: 240,
    config: { legend: { symbolType: "stroke", symbolOpacity: 1, symbolStrokeWidth: 2 } },
    data: { values },
    encoding: { x: { field: "x", type: "quantitative", title: unit.name } },
    layer: [
      { mark: { type: "area", opacity: 0.15 }, encoding: { y: { field: "p05", type: "quantitative", title: null, scale: { zero: false } }, y2: { field: "p95" }, color } },
      { mark: { type: "line", strokeWidth: 1.5 }, encoding: { y: { field: "p50", type: "quantitative", title: null, scale: { zero: false } }, color } },
    ],
  } as VegaLiteSpec;
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
