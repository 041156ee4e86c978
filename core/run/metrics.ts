// Metrics: time-stamped samples (t, name, value, labels) streamed as metrics.csv rows, plus
// running aggregates per name (count, sum, min, max) that summaries can read without storage.
import type { Environment } from "../des/index.ts";
import { ConfigError } from "../errors.ts";
import type { LineSink } from "./trace.ts";

export type Labels = Record<string, string | number>;

export interface MetricAggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
}

export const METRICS_HEADER = "t,name,value,labels\n";
const FLUSH_CHARS = 1 << 16;

/** CSV field quoting (RFC 4180): quote when a comma, quote or newline appears. */
function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Labels as "k=v;k=v" in sorted key order, so the same labels always print the same. */
export function formatLabels(labels: Labels | undefined): string {
  if (labels === undefined) return "";
  const keys = Object.keys(labels).sort();
  let out = "";
  for (const k of keys) out += (out ? ";" : "") + k + "=" + String(labels[k]);
  return out;
}

export class Metrics {
  private readonly env: Environment;
  private readonly sink: LineSink | null;
  private buffer = METRICS_HEADER;
  private readonly aggregates = new Map<string, MetricAggregate>();
  /** Rows recorded so far. */
  count = 0;

  constructor(env: Environment, sink: LineSink | null = null) {
    this.env = env;
    this.sink = sink;
  }

  /** Records one sample at env.now. */
  record(name: string, value: number, labels?: Labels): void {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new ConfigError(`metrics.record("${name}"): value must be a finite number, got ${String(value)}`);
    }
    this.buffer += `${this.env.now},${csvField(name)},${value},${csvField(formatLabels(labels))}\n`;
    this.count++;
    let agg = this.aggregates.get(name);
    if (agg === undefined) {
      agg = { count: 0, sum: 0, min: value, max: value, last: value };
      this.aggregates.set(name, agg);
    }
    agg.count++;
    agg.sum += value;
    if (value < agg.min) agg.min = value;
    if (value > agg.max) agg.max = value;
    agg.last = value;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** Aggregate of all samples of one name (any labels), or undefined. */
  aggregate(name: string): MetricAggregate | undefined {
    const a = this.aggregates.get(name);
    return a === undefined ? undefined : { ...a };
  }

  /** All aggregates, sorted by name. */
  aggregatesByName(): Record<string, MetricAggregate> {
    const out: Record<string, MetricAggregate> = {};
    for (const k of [...this.aggregates.keys()].sort()) out[k] = { ...this.aggregates.get(k)! };
    return out;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    if (this.sink !== null) this.sink(this.buffer);
    this.buffer = "";
  }
}
