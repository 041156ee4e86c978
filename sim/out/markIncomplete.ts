// Marks a run directory as incomplete: summary.json becomes {"status":"incomplete","error":...},
// keeping the headline fields of an earlier summary if there was one.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJson } from "./writeJson.ts";

export function markIncomplete(dir: string, error: unknown): void {
  const path = join(dir, "summary.json");
  let previous: Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      previous = JSON.parse(readFileSync(path, "utf8"));
    } catch {
      previous = {};
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  writeJson(path, { ...previous, status: "incomplete", error: message });
}
