// `gsim report DIR --out DIR2`: tables, percentile bands, charts and an offline HTML page.
import { ConfigError } from "../../core/errors.ts";
import { parseFlags } from "../parseFlags.ts";
import { EXIT_OK, type Command } from "../command.ts";
import { writeReport } from "../report/writeReport.ts";

const HELP = `usage: gsim report DIR --out DIR2 [--metrics a,b,...] [--finals x,y,...] [--quiet]

Reads a run directory (summary.json, metrics.csv) or a finished sweep directory (index.json)
and writes into DIR2:
  index.html                    self-contained page (charts inlined as SVG; works offline)
  charts/*.svg, charts/*.png    every chart as SVG and PNG
  tables/points.{csv,arrow}     one row per run: id, seed, sweep params, numeric summary values
  tables/summary_percentiles.*  P05/P50/P95 across seeds of every summary value, per combination
  tables/trajectories.*         P05/P50/P95 across seeds of every metric at every time
Arrow files are Arrow IPC (pandas.read_feather / polars.read_ipc / duckdb).

options:
  --out DIR2           where to write the report (required)
  --metrics LIST       metric names to chart over time (default: all, at most 16)
  --finals LIST        summary paths to chart as final values, e.g. workload.burned
                       (default: workload values that vary across runs, at most 8)
  --quiet              print nothing

exit codes: 0 written, 2 bad input`;

export const command: Command = {
  name: "report",
  summary: "tables, P05/P50/P95 bands and charts (HTML, SVG, PNG) for a run or a sweep",
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { out: { type: "string" }, metrics: { type: "string" }, finals: { type: "string" }, quiet: { type: "boolean" } });
    if (positionals.length !== 1) throw new ConfigError(`expected one run or sweep DIR, got ${positionals.length} (see --help)`);
    if (values.out === undefined) throw new ConfigError("--out DIR2 is required (see --help)");
    const list = (s: string | undefined) => (s === undefined ? undefined : s.split(",").map((x) => x.trim()).filter(Boolean));
    const r = await writeReport(positionals[0], values.out, { metrics: list(values.metrics), finals: list(values.finals) });
    if (!values.quiet) console.log(`wrote ${r.index} (${r.charts} charts, tables: ${r.tables.join(", ")})`);
    return EXIT_OK;
  },
};
