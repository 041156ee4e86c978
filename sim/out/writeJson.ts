// JSON files of a run directory: two-space indent, trailing newline, keys in insertion order.
import { writeFileSync } from "node:fs";

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}
