// JSON Schema of scenario files (`gsim schema`), so editors can autocomplete them. The
// `workload` property lists every registered kind with its params.
import { z } from "zod";
import { scenarioSchema } from "./schema.ts";
import { workloads } from "./workloads/index.ts";

type JsonSchema = Record<string, unknown>;

export function scenarioJsonSchema(): JsonSchema {
  const opts = { io: "input", unrepresentable: "any" } as const;
  const top = z.toJSONSchema(scenarioSchema, opts) as JsonSchema;
  const kinds = Object.keys(workloads).sort();
  const oneOf = kinds.map((kind) => {
    const s = z.toJSONSchema(workloads[kind].schema, opts) as JsonSchema;
    delete s.$schema;
    const props = (s.properties ?? {}) as Record<string, unknown>;
    return { ...s, type: "object", properties: { kind: { const: kind }, ...props }, required: ["kind", ...((s.required as string[]) ?? [])] };
  });
  const props = top.properties as Record<string, unknown>;
  props.workload = { description: "What runs on the world: {kind: ..., ...params}", oneOf };
  return { ...top, title: "gensyn-sim scenario" };
}
