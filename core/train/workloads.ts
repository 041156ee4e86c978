// The training workload kinds as registry entries ({schema, workload}, the shape of
// sim/scenario/workloads/entry.ts): ddp, diloco, streaming-diloco, noloco, hdee, train-compare.
// Starting one loads the run's ML backend (ctx.backend) when an arm computes on it.
import { getBackend } from "../ml/backend.ts";
import type { ArmRun } from "./armSetup.ts";
import { parseArms, startArm, trainCompare } from "./trainCompare.ts";
import type { TrainContext } from "./trainContext.ts";
import { ddpSchema, dilocoSchema, hdeeSchema, nolocoSchema, streamingDilocoSchema, trainCompareSchema, type ArmParams, type TrainCompareParams } from "./trainParams.ts";

/** An arm that runs its contributions as protocol jobs (adversaries or verification set). */
function protocolArm(a: ArmParams): a is Extract<ArmParams, { verification: unknown }> {
  return "verification" in a && (a.adversaries !== null || a.verification.rate > 0);
}

/**
 * The context with the backends the arms need loaded: the run's when some arm computes on it or
 * runs protocol jobs, RepOps for the referee, and each verification.backendByHardware backend.
 */
export async function withBackend(ctx: TrainContext, arms: readonly ArmParams[]): Promise<TrainContext> {
  const protocol = arms.filter(protocolArm);
  if (protocol.length === 0 && !arms.some((a) => a.engine === "backend")) return ctx;
  const names = new Set<string>(ctx.backends?.keys() ?? []);
  if (protocol.length > 0) names.add("repops");
  for (const a of protocol) for (const b of Object.values(a.verification.backendByHardware)) names.add(b);
  const backends = new Map(ctx.backends ?? []);
  for (const name of [...names].sort()) if (!backends.has(name)) backends.set(name, await getBackend(name));
  return { ...ctx, backends, mlBackend: ctx.mlBackend ?? (await getBackend(ctx.backend)) };
}

function single<S extends { omit(mask: { kind: true }): unknown }>(kind: ArmParams["kind"], schema: S) {
  return {
    schema: schema.omit({ kind: true }) as any,
    workload: {
      kind,
      async start(ctx: TrainContext, params: Record<string, unknown>) {
        const p = { ...params, kind } as ArmParams;
        const run: ArmRun = startArm(await withBackend(ctx, [p]), kind, p);
        return { done: run.done, summary: () => ({ kind, backend: ctx.backend, ...run.summary() }) };
      },
    },
  };
}

export const ddpEntry = single("ddp", ddpSchema);
export const dilocoEntry = single("diloco", dilocoSchema);
export const streamingDilocoEntry = single("streaming-diloco", streamingDilocoSchema);
export const nolocoEntry = single("noloco", nolocoSchema);
export const hdeeEntry = single("hdee", hdeeSchema);
export const trainCompareEntry = {
  schema: trainCompareSchema.omit({ kind: true }),
  workload: {
    kind: "train-compare",
    async start(ctx: TrainContext, params: Record<string, unknown>) {
      const p = { ...params, kind: "train-compare" } as TrainCompareParams;
      const run = trainCompare(await withBackend(ctx, parseArms(p).map((a) => a.params)), p);
      return { done: run.done, summary: run.summary };
    },
  },
};
