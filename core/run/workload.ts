// The workload contract: a scenario's `workload: {kind, ...params}` starts one of these.
import type { SimEvent } from "../des/index.ts";
import type { RunContext } from "./context.ts";

/** A running workload. The run stops at `done` or at the scenario's duration, whichever is first. */
export interface WorkloadRun {
  done?: SimEvent<unknown>;
  /** Lands in summary.json under "workload". Must be deterministic (sorted keys where it matters). */
  summary(): Record<string, unknown>;
  /**
   * Optional: awaited once when the run stops, before summary() (failed = false), or after a
   * failure (failed = true). Releases what the workload holds outside the kernel: the anvil
   * ledger settles what is left, reconciles and stops anvil (on failure it only stops it).
   */
  close?(failed: boolean): Promise<void> | void;
}

export interface Workload<P> {
  kind: string;
  start(ctx: RunContext, params: P): WorkloadRun | Promise<WorkloadRun>;
}
