// sim/scenario: schema, loader (YAML/JSON), overrides (--set a.b=c), JSON Schema export.
export { loadScenario, parseScenario, parseScenarioText, readScenarioDocument, MAX_FILE_BYTES, MAX_DEPTH } from "./load.ts";
export { scenarioSchema, worldSpecOf, type Scenario, type ScenarioInput } from "./schema.ts";
export { parseOverride, applyOverrides, type Override } from "./overrides.ts";
export { duration, parseDurationUs, formatDuration } from "./duration.ts";
export { ScenarioError } from "./scenarioError.ts";
export { scenarioJsonSchema } from "./jsonSchema.ts";
export { workloads, type WorkloadEntry } from "./workloads/index.ts";
export { parseCheck, evaluateCheck, CheckPathError, type Check } from "./checkExpression.ts";
