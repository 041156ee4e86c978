// `gsim check FILE...`: runs scenarios (or reads finished run directories) and evaluates their
// `checks:`. Exit 0 when all hold, 1 when one fails, 2 when a scenario could not run.
import { statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, GsimError } from "../../core/errors.ts";
import { EXIT_ERROR, EXIT_FAILED, EXIT_OK, type Command } from "../command.ts";
import { readRun } from "../out/readRun.ts";
import { checkSummary } from "../run/checkSummary.ts";
import { runScenario } from "../run/runScenario.ts";
import { loadScenario } from "../scenario/load.ts";
import type { Scenario } from "../scenario/schema.ts";
import { parseFlags } from "../parseFlags.ts";
import { RUN_FLAGS, parseSeed, parseSettle } from "./run.ts";

const HELP = `usage: gsim check FILE... [--seed N] [--set path=value]... [--backend NAME] [--settle memory|anvil] [--quiet]

For each FILE: a scenario file is run (in memory, no run directory) and its checks evaluated;
a run directory's recorded summary.json is checked against its manifest's checks.
Checks are expressions over summary.json paths ("world.availability > 0.9",
"workload.a.loss <= 1.05 * workload.b.loss", byRegionPair['us-east->eu-west'].p99 < 200)
or a pinned {eventsHash: ...}.

exit codes: 0 all checks hold, 1 a check failed (named, with its values), 2 a scenario could not run`;

export const command: Command = {
  name: "check",
  summary: "run scenarios and evaluate their checks (CI regression)",
  help: HELP,
  async run(argv) {
    // check runs in memory: every run flag but --out.
    const { out: _out, ...flags } = RUN_FLAGS;
    const { values, positionals } = parseFlags(argv, flags);
    if (positionals.length === 0) throw new ConfigError("expected at least one scenario FILE or run DIR (see --help)");
    const seedFlag = parseSeed(values.seed);
    const settle = parseSettle(values.settle);
    let failed = 0;
    let broken = 0;
    let passed = 0;
    for (const file of positionals) {
      let checks: Scenario["checks"];
      let summary: Record<string, unknown>;
      try {
        if (isDirectory(file)) {
          // A run directory is checked as recorded; a flag that would change the run cannot apply.
          const given = (["seed", "set", "backend", "settle"] as const).filter((k) => values[k] !== undefined).map((k) => `--${k}`);
          if (given.length > 0) throw new ConfigError(`${file}: ${given.join(", ")} cannot apply to a finished run directory (its recorded summary is checked; use gsim run first)`);
          const run = readRun(file);
          summary = run.summary;
          checks = recordedChecks(file, run.manifest.scenario.checks);
          if (summary.status !== "complete") throw new ConfigError(`${file}: the run is ${String(summary.status)}${summary.error ? `: ${String(summary.error)}` : ""}`);
        } else {
          const scenario = loadScenario(file, { sets: values.set ?? [] });
          checks = scenario.checks;
          summary = (await runScenario(scenario, { seed: seedFlag, quiet: values.quiet, settle, backend: values.backend })).summary;
        }
      } catch (err) {
        broken++;
        const msg = err instanceof GsimError ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)}`;
        console.error(`ERROR ${file}: could not run: ${msg}`);
        continue;
      }
      if (checks.length === 0) console.error(`note: ${file} has no checks`);
      for (const r of checkSummary(checks, summary)) {
        if (r.holds === true) {
          passed++;
          if (!values.quiet) console.log(`ok    ${file}: ${r.check}  (${r.detail})`);
        } else if (r.holds === false) {
          failed++;
          console.log(`FAIL  ${file}: ${r.check}  (${r.detail})`);
        } else {
          broken++;
          console.log(`ERROR ${file}: ${r.check}: ${r.detail}`);
        }
      }
    }
    console.log(`${passed} checks passed, ${failed} failed, ${broken} could not be evaluated`);
    return broken > 0 ? EXIT_ERROR : failed > 0 ? EXIT_FAILED : EXIT_OK;
  },
};

/** The checks recorded in a run's manifest (it may have been edited): strings or {eventsHash}. */
function recordedChecks(dir: string, checks: unknown): Scenario["checks"] {
  if (checks === undefined) return [];
  const ok = (c: unknown) => typeof c === "string" || (c !== null && typeof c === "object" && typeof (c as { eventsHash?: unknown }).eventsHash === "string");
  if (!Array.isArray(checks)) throw new ConfigError(`${join(dir, "manifest.json")}: scenario.checks: expected a list of checks, got ${JSON.stringify(checks)}`);
  const bad = checks.findIndex((c) => !ok(c));
  if (bad >= 0) throw new ConfigError(`${join(dir, "manifest.json")}: scenario.checks.${bad}: expected a check expression or {eventsHash: "..."}, got ${JSON.stringify(checks[bad])}`);
  return checks as Scenario["checks"];
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
