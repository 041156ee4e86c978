// The one scenario schema (zod 4): YAML/JSON in, a typed Scenario out, durations in integer
// microseconds. Unknown keys are rejected everywhere (STYLE: convention 3). Workload params are
// checked by the schema registered for their kind (./workloads/index.ts).
import { z } from "zod";
import { HARDWARE_NAMES, LINK_NAMES, MAX_NODES, REGION_NAMES, SHARING_MODES } from "../../core/world/index.ts";
import type { ChurnSpec, NodeGroupSpec, PartitionSpec, WorldSpec } from "../../core/world/index.ts";
import { parseCheck } from "./checkExpression.ts";
import { duration } from "./duration.ts";

/** Largest count accepted for anything countable that is not nodes (seeds, sweep values...). */
export const MAX_COUNT = 1_000_000;

const weight = z.number().min(0).max(1e9);

/** A mix over names: `h100` (all of one) or `{h100: 0.1, rtx3060: 0.9}` (weights, normalised). */
function mix<const T extends readonly [string, ...string[]]>(names: T, what: string) {
  const name = z.enum(names);
  return z
    .union([name, z.partialRecord(name, weight)])
    .meta({ description: `A ${what} name, or a mapping of ${what} names to weights (normalised), e.g. {${names[0]}: 0.2, ${names[1] ?? names[0]}: 0.8}` })
    .transform((v, ctx) => {
      const m = (typeof v === "string" ? { [v]: 1 } : v) as Partial<Record<T[number], number>>;
      const sum = Object.values(m).reduce((a: number, b) => a + (b as number), 0);
      if (!(sum > 0)) {
        ctx.issues.push({ code: "custom", message: `expected at least one ${what} with a positive weight`, input: v });
        return z.NEVER;
      }
      return m;
    });
}

const positive = z.number().positive().max(1e6);

export const distributionSchema = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("constant"), value: duration() }),
  z.strictObject({ dist: z.literal("exponential"), mean: duration({ min: 1 }) }),
  z.strictObject({ dist: z.literal("weibull"), scale: duration({ min: 1 }), shape: positive }),
  z.strictObject({ dist: z.literal("lognormal"), median: duration({ min: 1 }), sigma: z.number().min(0).max(10) }),
  z.strictObject({ dist: z.literal("pareto"), min: duration({ min: 1 }), alpha: positive }),
  z.strictObject({ dist: z.literal("uniform"), min: duration(), max: duration() }),
]);

export const churnSchema = z.strictObject({
  fraction: z.number().min(0).max(1).default(1).meta({ description: "Share of nodes that churn (0..1)" }),
  up: distributionSchema.meta({ description: "How long a node stays up" }),
  down: distributionSchema.meta({ description: "How long a node stays down" }),
});

const churnOrOff = z.union([z.literal(false).transform(() => null), churnSchema]);

export const nodeGroupSchema = z.strictObject({
  count: z.int().min(1).max(MAX_NODES),
  hardware: mix(HARDWARE_NAMES, "hardware"),
  regions: mix(REGION_NAMES, "region"),
  link: mix(LINK_NAMES, "link profile").prefault("cable"),
  slow: z.strictObject({ fraction: z.number().min(0).max(1), factor: z.number().min(1).max(1000) }).optional(),
  churn: churnOrOff.optional().meta({ description: "Overrides the top-level churn for this group; false = never churns" }),
  computeJitter: z.number().min(0).max(5).default(0.05).meta({ description: "Sigma of log-normal jitter on compute times" }),
});

const partitionSchema = z.strictObject({
  at: duration(),
  duration: duration({ min: 1 }),
  groups: z.array(z.array(z.enum(REGION_NAMES)).min(1)).min(2).max(REGION_NAMES.length),
});

export const networkSchema = z.strictObject({
  loss: z.number().min(0).max(1).default(0).meta({ description: "Probability that a message is lost" }),
  jitter: z.number().min(0).max(10).default(0.1).meta({ description: "Mean extra latency as a fraction of base latency" }),
  corrupt: z.number().min(0).max(1).default(0).meta({ description: "Probability that a delivered message arrives malformed" }),
  sharing: z.enum(SHARING_MODES).default("max-min").meta({ description: "Bandwidth sharing between concurrent transfers: max-min fair (progressive filling) or equal-share (each gets the smaller of an equal uplink and downlink share)" }),
  partitions: z.array(partitionSchema).max(10_000).default([]),
});

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const seed = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export const checkSchema = z.union([
  z
    .string()
    .min(1)
    .max(1000)
    .superRefine((text, ctx) => {
      try {
        parseCheck(text);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `expected a valid check (${(err as Error).message})`, input: text });
      }
    })
    .meta({ description: 'An assertion over summary.json paths, e.g. "world.availability > 0.9"' }),
  z.strictObject({ eventsHash: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected a 64-digit lowercase hex sha256" }) }),
]);

/** The scenario's top level; `workload` is checked afterwards against its kind's schema. */
export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { error: "expected a name of letters, digits, '.', '_' or '-' (used in directory names)" }),
  description: z.string().max(10_000).optional(),
  seed: seed.optional().meta({ description: "Root seed; `--seed` overrides it. There is no entropy fallback." }),
  duration: duration({ min: 1 }).meta({ description: "Simulated time the run lasts at most (the workload may finish earlier)" }),
  backend: z.string().regex(/^[a-z0-9-]{1,32}$/, { error: "expected a backend name such as repops, tfjs-cpu, tfjs-wasm, webgpu" }).default("repops"),
  nodes: z
    .union([nodeGroupSchema.transform((g) => [g]), z.array(nodeGroupSchema).min(1).max(1000)])
    .superRefine((groups, ctx) => {
      const total = groups.reduce((a, g) => a + g.count, 0);
      if (total > MAX_NODES) ctx.addIssue({ code: "custom", message: `expected at most ${MAX_NODES} nodes in all`, input: total });
    }),
  network: networkSchema.prefault({}),
  churn: z.union([z.literal(false).transform(() => null), z.null(), churnSchema]).default(null),
  workload: z.looseObject({ kind: z.string() }),
  settle: z.enum(["memory", "anvil"]).default("memory"),
  checks: z.array(checkSchema).max(1000).default([]),
  sweep: z
    .strictObject({
      grid: z.record(z.string(), z.array(scalar).min(1).max(MAX_COUNT)).optional(),
      zip: z.record(z.string(), z.array(scalar).min(1).max(MAX_COUNT)).optional(),
    })
    .optional(),
  seeds: z
    .union([
      z.array(seed).min(1).max(MAX_COUNT),
      z.strictObject({ from: seed.default(1), count: z.int().min(1).max(MAX_COUNT) }).transform((s) => Array.from({ length: s.count }, (_, i) => s.from + i)),
    ])
    .optional(),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
type Parsed = z.output<typeof scenarioSchema>;

/** A validated scenario: the workload's params are those of its kind, already parsed. */
export interface Scenario extends Omit<Parsed, "workload"> {
  workload: { kind: string; [param: string]: unknown };
}

/** The world part of a scenario, in core/world's terms. */
export function worldSpecOf(s: Scenario): WorldSpec {
  return {
    groups: s.nodes as NodeGroupSpec[],
    network: { loss: s.network.loss, jitter: s.network.jitter, corrupt: s.network.corrupt, sharing: s.network.sharing, partitions: s.network.partitions as PartitionSpec[] },
    churn: s.churn as ChurnSpec | null,
    computeJitter: 0,
  };
}
