// `gsim sweep FILE --out DIR`: expands the scenario's sweep: x seeds: and runs every point.
import { ConfigError } from "../../core/errors.ts";
import { parseFlags } from "../parseFlags.ts";
import { EXIT_FAILED, EXIT_OK, type Command } from "../command.ts";
import { runSweep } from "../sweep/runSweep.ts";

/** Local worker processes at most (each is a Bun process; more than this is a typo, not a plan). */
const MAX_WORKERS = 256;

const HELP = `usage: gsim sweep FILE --out DIR [--workers N] [--queue redis://HOST:PORT] [--resume] [--set path=value]... [--quiet]

Expands the scenario's sweep: (grid: cartesian product; zip: lists walked together, equal
lengths required) times its seeds:, and runs every point. Layout of DIR:
  sweep.json          the plan: scenario hash and every point (id, seed, params)
  points/<id>/        each point's run directory, renamed into place when complete
  index.json          all results sorted by point id (written when every point is done)

options:
  --out DIR            the sweep directory (required)
  --workers N          local worker processes (default: one per core)
  --queue URL          run points through BullMQ on Redis (redis://HOST:PORT); start
                       \`gsim worker --queue URL\` on any machines; results come back through
                       Redis and are written into DIR by this process (no shared filesystem)
  --resume             continue a sweep in DIR: finished points are never recomputed
  --set path=value     override a scenario value for every point (repeatable)
  --quiet              no progress bar, no summary line

exit codes: 0 all points ran, 1 some points failed (listed; --resume retries them), 2 bad input`;

export const command: Command = {
  name: "sweep",
  summary: "run a scenario's parameter sweep x seeds on all cores or a Redis cluster",
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      out: { type: "string" }, workers: { type: "string" }, queue: { type: "string" }, resume: { type: "boolean" }, set: { type: "string", multiple: true }, quiet: { type: "boolean" },
    });
    if (positionals.length !== 1) throw new ConfigError(`expected one scenario FILE, got ${positionals.length} (see --help)`);
    if (values.out === undefined) throw new ConfigError("--out DIR is required (see --help)");
    let workers: number | undefined;
    if (values.workers !== undefined) {
      if (!/^\d{1,4}$/.test(values.workers) || Number(values.workers) < 1 || Number(values.workers) > MAX_WORKERS) {
        throw new ConfigError(`--workers: expected an integer from 1 to ${MAX_WORKERS}, got ${JSON.stringify(values.workers)}`);
      }
      workers = Number(values.workers);
    }
    if (values.queue !== undefined && !/^rediss?:\/\/[^\s]+$/.test(values.queue)) throw new ConfigError(`--queue: expected redis://HOST:PORT, got ${JSON.stringify(values.queue)}`);
    const started = performance.now();
    const r = await runSweep(positionals[0], { out: values.out, sets: values.set ?? [], workers, queue: values.queue, resume: values.resume, quiet: values.quiet,
      onQueued: (n) => {
        if (!values.quiet) console.error(`gsim sweep: ${n} points queued on ${values.queue}; workers: gsim worker --queue ${values.queue}`);
      } });
    const wall = (performance.now() - started) / 1000;
    for (const f of r.failed) console.error(`gsim sweep: point ${f.id} failed: ${f.message}`);
    if (!values.quiet) {
      console.log(`${r.plan.name}: ${r.plan.points.length} points (${r.ran} ran, ${r.skipped} already done, ${r.failed.length} failed) in ${wall.toFixed(1)} s`);
      if (r.indexPath) console.log(`wrote ${r.indexPath}`);
    }
    return r.failed.length > 0 ? EXIT_FAILED : EXIT_OK;
  },
};
