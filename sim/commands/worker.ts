// `gsim worker --queue URL`: pulls sweep points from BullMQ on Redis until stopped (SIGINT/SIGTERM).
import { ConfigError } from "../../core/errors.ts";
import { parseFlags } from "../parseFlags.ts";
import { EXIT_OK, type Command } from "../command.ts";
import { QUEUE_NAME, startQueueWorker } from "../sweep/clusterQueue.ts";

const HELP = `usage: gsim worker --queue redis://HOST:PORT [--concurrency N] [--name QUEUE] [--quiet]

Processes sweep points that \`gsim sweep FILE --out DIR --queue URL\` puts on the queue, on this
machine, until stopped with Ctrl-C / SIGTERM. Each point runs in a private temporary directory
and its run directory goes back through Redis; the sweep process writes it into DIR, so
workers need no shared filesystem, only the same gsim checkout (same git commit) and Redis.
Start one worker per core (points are CPU-bound; --concurrency only overlaps I/O).

options:
  --queue URL          Redis URL (required)
  --concurrency N      points processed at once by this process (default 1)
  --name QUEUE         BullMQ queue name (default ${QUEUE_NAME})
  --quiet              no log lines

exit codes: 0 stopped, 2 bad input or Redis unreachable`;

export const command: Command = {
  name: "worker",
  summary: "process sweep points from a Redis (BullMQ) queue",
  help: HELP,
  async run(argv) {
    const parsed = parseFlags(argv, { queue: { type: "string" }, concurrency: { type: "string" }, name: { type: "string" }, quiet: { type: "boolean" } });
    if (parsed.positionals.length > 0) throw new ConfigError(`gsim worker takes no FILE or DIR, got ${JSON.stringify(parsed.positionals[0])} (see --help)`);
    const v = parsed.values;
    if (v.queue === undefined) throw new ConfigError("--queue redis://HOST:PORT is required (see --help)");
    const concurrency = v.concurrency === undefined ? 1 : /^\d{1,3}$/.test(v.concurrency) ? Number(v.concurrency) : NaN;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 256) throw new ConfigError(`--concurrency: expected an integer from 1 to 256, got ${JSON.stringify(v.concurrency)}`);
    const log = v.quiet ? undefined : (line: string) => console.error(line);
    const handle = await startQueueWorker(v.queue, { queueName: v.name, concurrency, log });
    log?.(`gsim worker: pid ${process.pid} waiting for points on ${v.queue} (queue ${v.name ?? QUEUE_NAME})`);
    await new Promise<void>((resolveStop) => {
      const stop = () => resolveStop();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await handle.close();
    return EXIT_OK;
  },
};
