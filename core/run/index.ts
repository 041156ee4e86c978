// core/run: what one simulation run hands to workloads (context, trace, metrics, contracts).
export { createRunContext, type RunContext, type RunnerContext, type Barrier, type BarrierHook } from "./context.ts";
export { Histogram } from "./histogram.ts";
export { Trace, type LineSink } from "./trace.ts";
export { Metrics, formatLabels, METRICS_HEADER, type Labels, type MetricAggregate } from "./metrics.ts";
export type { Workload, WorkloadRun } from "./workload.ts";
export type { JsonValue, JsonObject, JsonPrimitive } from "./json.ts";
