// `gsim replay DIR`: re-runs a run from its manifest and compares the event streams.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, GsimError } from "../../core/errors.ts";
import { EXIT_FAILED, EXIT_OK, type Command } from "../command.ts";
import { backendNames } from "../../core/ml/backend.ts";
import { configureMlBackends } from "../ml/backendOptions.ts";
import { readRecordedEvents, readRun } from "../out/readRun.ts";
import { runScenario } from "../run/runScenario.ts";
import type { Scenario } from "../scenario/schema.ts";
import { parseFlags } from "../parseFlags.ts";

/** The first line where two event streams differ (1-based), or null when identical. */
export function firstDifference(a: string, b: string): { line: number; recorded: string | null; replayed: string | null } | null {
  if (a === b) return null;
  let i = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  const start = a.lastIndexOf("\n", i - 1) + 1;
  let line = 1;
  for (let k = a.indexOf("\n"); k !== -1 && k < start; k = a.indexOf("\n", k + 1)) line++;
  const lineAt = (s: string) => {
    if (start >= s.length) return null;
    const end = s.indexOf("\n", start);
    return s.slice(start, end === -1 ? s.length : end);
  };
  return { line, recorded: lineAt(a), replayed: lineAt(b) };
}

export const command: Command = {
  name: "replay",
  summary: "re-run a run directory from its manifest and check the events hash",
  help: `usage: gsim replay DIR [--quiet]

Re-runs the scenario recorded in DIR/manifest.json with the same seed, backend and settlement,
and compares the new event stream with DIR/events.jsonl. DIR is not modified.

exit codes: 0 identical, 1 different (the first differing event is shown), 2 could not replay`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { quiet: { type: "boolean" } });
    if (positionals.length !== 1) throw new ConfigError(`expected one run DIR, got ${positionals.length} (see --help)`);
    const dir = positionals[0];
    const { manifest, summary } = readRun(dir);
    if (summary.status !== "complete") throw new ConfigError(`${dir}: the recorded run is ${String(summary.status)}; only complete runs can be replayed`);
    const recorded = readRecordedEvents(dir);
    configureMlBackends();
    if (!backendNames().includes(manifest.backend)) {
      throw new ConfigError(`${join(dir, "manifest.json")}: backend: expected one of ${backendNames().join(", ")}, got ${JSON.stringify(manifest.backend)}`);
    }
    const tmp = mkdtempSync(join(tmpdir(), "gsim-replay-"));
    try {
      const scenario = manifest.scenario as unknown as Scenario;
      let r: Awaited<ReturnType<typeof runScenario>>;
      try {
        r = await runScenario(scenario, { seed: manifest.seed, backend: manifest.backend, settle: manifest.settle as "memory" | "anvil", outDir: join(tmp, "run"), quiet: values.quiet });
      } catch (err) {
        if (err instanceof GsimError) throw err;
        throw new ConfigError(`${join(dir, "manifest.json")}: scenario: the recorded scenario does not run (${(err as Error).message}); was the manifest edited?`, { cause: err });
      }
      // Compare with the recorded bytes, not only with summary.eventsHash: an edited
      // events.jsonl must not pass because summary.json still holds the original hash.
      const replayed = readFileSync(join(tmp, "run", "events.jsonl"), "utf8");
      if (replayed === recorded && r.eventsHash === summary.eventsHash) {
        if (!values.quiet) console.log(`replay of ${dir}: identical (eventsHash ${r.eventsHash})`);
        return EXIT_OK;
      }
      const diff = firstDifference(recorded, replayed);
      console.error(`replay of ${dir}: DIFFERENT: recorded eventsHash ${String(summary.eventsHash)}, replayed ${r.eventsHash}`);
      const recordedHash = createHash("sha256").update(recorded).digest("hex");
      if (recordedHash !== summary.eventsHash) console.error(`events.jsonl was edited after the run: it hashes to ${recordedHash}, not to summary.json's eventsHash`);
      if (diff !== null) {
        console.error(`first differing event: line ${diff.line} of events.jsonl`);
        console.error(`  recorded: ${diff.recorded ?? "(end of stream)"}`);
        console.error(`  replayed: ${diff.replayed ?? "(end of stream)"}`);
      } else {
        console.error("events.jsonl is identical to the replay; summary.json's eventsHash was edited");
      }
      return EXIT_FAILED;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
