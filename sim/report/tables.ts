// Tables with arquero, written as CSV and as Arrow IPC (readable by pandas, polars, duckdb).
import * as aq from "arquero";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export type Row = Record<string, string | number | boolean | null>;

/** An arquero table from rows, columns in the order of the first row's keys plus any others. */
export function tableOf(rows: readonly Row[]): aq.ColumnTable {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
  const cols: Record<string, unknown[]> = {};
  for (const n of names) cols[n] = rows.map((r) => (r[n] === undefined ? null : r[n]));
  return aq.table(cols);
}

/** Writes NAME.csv and NAME.arrow (Arrow IPC file format) into dir; returns the two file names. */
export function writeTable(dir: string, name: string, table: aq.ColumnTable): [string, string] {
  const csv = `${name}.csv`;
  const arrow = `${name}.arrow`;
  writeFileSync(join(dir, csv), aq.toCSV(table));
  writeFileSync(join(dir, arrow), aq.toArrowIPC(table, { format: "file" })); // Arrow IPC file (Feather v2): pandas.read_feather, polars.read_ipc, duckdb
  return [csv, arrow];
}
