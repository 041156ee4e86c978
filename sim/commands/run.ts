// `gsim run FILE`: runs one scenario and writes its run directory.
import { ConfigError } from "../../core/errors.ts";
import { EXIT_OK, type Command } from "../command.ts";
import { checkSummary } from "../run/checkSummary.ts";
import { runScenario } from "../run/runScenario.ts";
import { loadScenario } from "../scenario/load.ts";
import { parseFlags } from "../parseFlags.ts";

const HELP = `usage: gsim run FILE [--seed N] [--out DIR] [--set path=value]... [--backend NAME] [--settle memory|anvil] [--quiet]

Runs the scenario in FILE (YAML or JSON) and writes the run directory:
  manifest.json  the resolved scenario, seed, git commit, package versions, backend
  events.jsonl   the event trace (its sha256 is summary.eventsHash)
  metrics.csv    time series: t (microseconds), name, value, labels
  summary.json   headline metrics and eventsHash

options:
  --seed N             root seed (overrides the file's seed:); one of the two is required
  --out DIR            write the run directory exactly here (default runs/<name>-s<seed>)
  --set path=value     override a scenario value, e.g. --set nodes.0.count=500 (repeatable;
                       values are YAML scalars; precedence: flag > file > default)
  --backend NAME       ML backend (repops, tfjs-cpu, tfjs-wasm, webgpu); overrides backend:
  --settle KIND        memory (embedded ledger) or anvil (local chain); overrides settle:
  --quiet              no progress bar and no summary on stdout

exit codes: 0 ran, 2 bad input or the run failed (bad input leaves no run directory; a run that
failed once started, e.g. anvil died, leaves its directory with summary.json status "incomplete")`;

/** The flags of run-like commands (run, check; chain adds its own); bad flags are a ConfigError (exit 2). */
export const RUN_FLAGS = {
  seed: { type: "string" },
  out: { type: "string" },
  set: { type: "string", multiple: true },
  backend: { type: "string" },
  settle: { type: "string" },
  quiet: { type: "boolean" },
} as const;

/** Parses RUN_FLAGS plus `extra`; bad flags are a ConfigError (exit 2). */
export function parseRunArgs(argv: string[], extra: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {}) {
  return parseFlags(argv, { ...RUN_FLAGS, ...extra } as typeof RUN_FLAGS);
}

export function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) throw new ConfigError(`--seed: expected a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

export function parseSettle(text: string | undefined): "memory" | "anvil" | undefined {
  if (text === undefined || text === "memory" || text === "anvil") return text;
  throw new ConfigError(`--settle: expected memory or anvil, got ${JSON.stringify(text)}`);
}

export const command: Command = {
  name: "run",
  summary: "run a scenario and write its run directory",
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseRunArgs(argv);
    if (positionals.length !== 1) throw new ConfigError(`expected one scenario FILE, got ${positionals.length} (see --help)`);
    const file = positionals[0];
    const seedFlag = parseSeed(values.seed);
    const settle = parseSettle(values.settle);
    const sets = values.set ?? [];
    const scenario = loadScenario(file, { sets });
    const seed = seedFlag ?? scenario.seed;
    if (seed === undefined) throw new ConfigError(`${file}: no seed: give --seed N or add 'seed:' to the file (there is no entropy fallback)`);
    const outDir = values.out ?? `runs/${scenario.name}-s${seed}`;
    const started = performance.now();
    // A run that fails once started (e.g. anvil died) keeps its directory, marked incomplete.
    const r = await runScenario(scenario, { seed, outDir, quiet: values.quiet, settle, backend: values.backend, source: { file, sets }, keepIncomplete: true });
    const wall = (performance.now() - started) / 1000;
    if (!values.quiet) {
      const s = r.summary as any;
      console.log(`${scenario.name} seed ${seed}: ${(s.simulatedUs / 3.6e9).toFixed(2)} h simulated in ${wall.toFixed(2)} s, ${s.eventsProcessed} events`);
      console.log(`eventsHash ${r.eventsHash}`);
      // The scenario's checks say what the run was about; show them (gsim check enforces them).
      for (const c of checkSummary(scenario.checks, r.summary)) {
        console.log(`${c.holds === true ? "check ok  " : c.holds === false ? "check FAIL" : "check ?   "} ${c.check}  (${c.detail})`);
      }
      console.log(`wrote ${r.outDir}`);
    }
    return EXIT_OK;
  },
};
