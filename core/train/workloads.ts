// The training workload kinds as registry entries ({schema, workload}, the shape of
// sim/scenario/workloads/entry.ts): ddp, diloco, streaming-diloco, noloco, hdee, train-compare.
import type { ArmRun } from "./armSetup.ts";
import { startArm, trainCompare } from "./trainCompare.ts";
import type { TrainContext } from "./trainContext.ts";
import { ddpSchema, dilocoSchema, hdeeSchema, nolocoSchema, streamingDilocoSchema, trainCompareSchema, type ArmParams } from "./trainParams.ts";

/** The proxy model's kernels (core/train/replicaMlp.ts): fixed order, float32, like repops. */
export const PROXY_ENGINE = "core/train replicaMlp (fixed-order float32, reproducible)";

function single<S extends { omit(mask: { kind: true }): unknown }>(kind: ArmParams["kind"], schema: S) {
  return {
    schema: schema.omit({ kind: true }) as any,
    workload: {
      kind,
      start(ctx: TrainContext, params: Record<string, unknown>) {
        const run: ArmRun = startArm(ctx, kind, { ...params, kind } as ArmParams);
        return { done: run.done, summary: () => ({ kind, backend: ctx.backend, proxyEngine: PROXY_ENGINE, ...run.summary() }) };
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
    start(ctx: TrainContext, params: Record<string, unknown>) {
      const run = trainCompare(ctx, { ...params, kind: "train-compare" } as never);
      return { done: run.done, summary: () => ({ ...run.summary(), proxyEngine: PROXY_ENGINE }) };
    },
  },
};
