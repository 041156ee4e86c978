// sim/run: running scenarios (the one entry point everything else calls).
export { runScenario, resolveSeed, type RunOptions, type RunResult } from "./runScenario.ts";
export { advance, type AdvanceOptions, type EndReason } from "./advance.ts";
export { checkSummary, type CheckResult } from "./checkSummary.ts";
