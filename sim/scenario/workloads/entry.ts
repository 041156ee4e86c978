// One registered workload kind: its params schema (without `kind`) and the workload to start.
import type { z } from "zod";
import type { Workload } from "../../../core/run/index.ts";

export interface WorkloadEntry<P = any> {
  /** Zod schema of the params (every key of `workload:` except `kind`); unknown keys rejected. */
  schema: z.ZodType<P, any>;
  workload: Workload<P>;
}
