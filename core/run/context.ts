// RunContext: everything a workload sees of one run (the cross-area contract in the team brief).
import type { Environment, RngStreams } from "../des/index.ts";
import { ConfigError } from "../errors.ts";
import type { World } from "../world/world.ts";
import type { Metrics } from "./metrics.ts";
import type { Trace } from "./trace.ts";

export type BarrierHook = (now: number) => Promise<void> | void;

export interface Barrier {
  intervalUs: number;
  hook: BarrierHook;
}

export interface RunContext {
  env: Environment;
  streams: RngStreams;
  world: World;
  /** trace.emit(type, fields) appends {"t": now, "type": type, ...fields} to events.jsonl. */
  trace: Trace;
  /** metrics.record(name, value, labels) at env.now -> metrics.csv. */
  metrics: Metrics;
  /** ML backend name chosen for the run (scenario `backend:` / --backend). */
  backend: string;
  /** How payments settle: the embedded in-memory ledger or a local anvil chain (scenario `settle:`). */
  settle: "memory" | "anvil";
  /** The runner advances the kernel in slices of intervalUs and awaits hook(now) between them. */
  onBarrier(intervalUs: number, hook: BarrierHook): void;
}

/** The context plus what only the runner reads (registered barriers). */
export interface RunnerContext extends RunContext {
  readonly barriers: readonly Barrier[];
}

export interface RunContextOptions {
  env: Environment;
  streams: RngStreams;
  world: World;
  trace: Trace;
  metrics: Metrics;
  backend: string;
  /** Default "memory". */
  settle?: "memory" | "anvil";
}

export function createRunContext(o: RunContextOptions): RunnerContext {
  const barriers: Barrier[] = [];
  return {
    env: o.env,
    streams: o.streams,
    world: o.world,
    trace: o.trace,
    metrics: o.metrics,
    backend: o.backend,
    settle: o.settle ?? "memory",
    barriers,
    onBarrier(intervalUs: number, hook: BarrierHook): void {
      if (!Number.isSafeInteger(intervalUs) || intervalUs <= 0) {
        throw new ConfigError(`onBarrier interval must be a positive integer of microseconds, got ${intervalUs}`);
      }
      if (typeof hook !== "function") throw new ConfigError("onBarrier needs a hook function");
      barriers.push({ intervalUs, hook });
    },
  };
}
