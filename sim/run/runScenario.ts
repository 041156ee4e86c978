// Runs one scenario with one seed: builds the world, starts the workload, advances the kernel,
// and (with outDir) writes the run directory: manifest.json, events.jsonl, metrics.csv,
// summary.json. This is what `gsim run`, replay, sweeps and tests call.
import { Environment, RngStreams } from "../../core/des/index.ts";
import { ConfigError } from "../../core/errors.ts";
import { Metrics, Trace, createRunContext, type JsonValue, type WorkloadRun } from "../../core/run/index.ts";
import { World } from "../../core/world/index.ts";
import { RunDirectory, buildManifest, openFileSink, writeJson, type FileSink } from "../out/index.ts";
import { Progress } from "../progress.ts";
import { worldSpecOf, type Scenario } from "../scenario/schema.ts";
import { workloads } from "../scenario/workloads/index.ts";
import { configureMlBackends } from "../ml/backendOptions.ts";
import { backendNames } from "../../core/ml/backend.ts";
import { advance } from "./advance.ts";

export interface RunOptions {
  /** Overrides scenario.seed; one of the two is required (no entropy fallback). */
  seed?: number;
  /** Write the run directory exactly here; without it nothing is written. */
  outDir?: string;
  quiet?: boolean;
  /** Overrides scenario.settle / scenario.backend. */
  settle?: "memory" | "anvil";
  backend?: string;
  /** For the manifest: where the scenario came from. */
  source?: { file?: string | null; sets?: string[] };
  /** When the run fails after it started: keep the directory marked incomplete (default: discard it). */
  keepIncomplete?: boolean;
  /** Called between kernel slices with the virtual time (benchmarks sample memory here). */
  onSlice?: (now: number) => void;
}

export interface RunResult {
  summary: Record<string, unknown>;
  eventsHash: string;
  outDir?: string;
}

export function resolveSeed(scenario: Scenario, seed: number | undefined): number {
  const s = seed ?? scenario.seed;
  if (s === undefined) throw new ConfigError(`scenario '${scenario.name}' has no seed: give --seed N or add 'seed:' to the file (there is no entropy fallback)`);
  if (!Number.isSafeInteger(s) || s < 0) throw new ConfigError(`seed must be a non-negative integer, got ${s}`);
  return s;
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const seed = resolveSeed(scenario, options.seed);
  const backend = options.backend ?? scenario.backend;
  configureMlBackends(); // tfjs-wasm's binary directory, so workloads can getBackend(ctx.backend) by name
  if (!backendNames().includes(backend)) {
    const where = options.backend !== undefined ? "--backend" : `${options.source?.file ?? `scenario '${scenario.name}'`}: backend`;
    throw new ConfigError(`${where}: expected one of ${backendNames().join(", ")}, got ${JSON.stringify(backend)}`);
  }
  const settle = options.settle ?? scenario.settle;
  const resolved: Scenario = { ...scenario, seed, backend, settle };
  const entry = Object.hasOwn(workloads, scenario.workload.kind) ? workloads[scenario.workload.kind] : undefined;
  if (entry === undefined) throw new ConfigError(`workload.kind: unknown kind '${scenario.workload.kind}'`);
  const { kind, ...params } = scenario.workload;

  const env = new Environment();
  const streams = new RngStreams(seed);
  const world = new World(env, streams, worldSpecOf(resolved));

  const dir = options.outDir !== undefined ? RunDirectory.open(options.outDir) : null;
  const sinks: FileSink[] = [];
  let run: WorkloadRun | null = null;
  const progress = new Progress({ label: scenario.name, total: scenario.duration, quiet: options.quiet, format: (d, t) => `${(d / 3.6e9).toFixed(1)}/${(t / 3.6e9).toFixed(1)} h` });
  try {
    if (dir !== null) writeJson(dir.file("manifest.json"), buildManifest({ scenario: resolved as unknown as Record<string, unknown>, seed, backend, settle, file: options.source?.file, sets: options.source?.sets }));
    const events = dir !== null ? openFileSink(dir.file("events.jsonl")) : null;
    const metricsFile = dir !== null ? openFileSink(dir.file("metrics.csv")) : null;
    if (events) sinks.push(events);
    if (metricsFile) sinks.push(metricsFile);
    const trace = new Trace(env, events?.sink ?? null);
    const metrics = new Metrics(env, metricsFile?.sink ?? null);
    world.setLog((type, fields) => trace.emit(type, fields as Record<string, JsonValue>));
    const ctx = createRunContext({ env, streams, world, trace, metrics, backend, settle });

    trace.emit("run.start", { scenario: scenario.name, seed, nodes: world.size, available: world.availableCount, workload: kind, backend, settle });
    run = await entry.workload.start(ctx, params);
    const reason = await advance(ctx, { endUs: scenario.duration, done: run.done, onSlice: (now) => {
      progress.update(now);
      options.onSlice?.(now);
    } });
    progress.finish();
    await run.close?.(false);
    const workloadSummary = run.summary();
    trace.emit("run.end", { reason, eventsProcessed: env.eventsProcessed });
    metrics.flush();
    const eventsHash = trace.close();
    const summary: Record<string, unknown> = {
      status: "complete",
      scenario: scenario.name,
      seed,
      backend,
      settle,
      endReason: reason,
      simulatedUs: env.now,
      eventsProcessed: env.eventsProcessed,
      traceLines: trace.count,
      metricRows: metrics.count,
      eventsHash,
      world: world.summary(),
      workload: workloadSummary,
    };
    for (const s of sinks) s.close();
    if (dir === null) return { summary, eventsHash };
    writeJson(dir.file("summary.json"), summary);
    return { summary, eventsHash, outDir: dir.commit() };
  } catch (err) {
    progress.finish();
    // The first error is the one to report: a close() that throws (sync or async) must not replace it.
    try {
      await run?.close?.(true);
    } catch {
      /* ignored: err below is the cause */
    }
    for (const s of sinks) s.close();
    if (dir !== null) {
      if (options.keepIncomplete) dir.commitIncomplete(err);
      else dir.discard();
    }
    throw err;
  }
}
