// train-compare: several arms (ddp, diloco, streaming-diloco, noloco, hdee) run one after another
// on the same nodes, each landing in the summary under its name, so checks can compare them
// ("workload.diloco.heldOutLoss <= 1.05 * workload.ddp.heldOutLoss"). Every arm regenerates the
// same task from the run's seed; arms share one world, so churn hits each arm at its own times.
import { ConfigError } from "../errors.ts";
import type { Process } from "../des/process.ts";
import type { ArmRun } from "./armSetup.ts";
import { ddpArm } from "./ddpArm.ts";
import { dilocoArm } from "./dilocoArm.ts";
import { hdeeArm } from "./hdeeArm.ts";
import { nolocoArm } from "./nolocoArm.ts";
import { streamingDilocoArm } from "./streamingDilocoArm.ts";
import type { TrainContext } from "./trainContext.ts";
import { armSchema, type ArmParams, type TrainCompareParams } from "./trainParams.ts";

/** Start one arm of any algorithm. */
export function startArm(ctx: TrainContext, name: string, p: ArmParams): ArmRun {
  switch (p.kind) {
    case "ddp":
      return ddpArm(ctx, name, p);
    case "diloco":
      return dilocoArm(ctx, name, p);
    case "streaming-diloco":
      return streamingDilocoArm(ctx, name, p);
    case "noloco":
      return nolocoArm(ctx, name, p);
    case "hdee":
      return hdeeArm(ctx, name, p);
  }
}

/** Validate each arm's params (everything but `name`) with its algorithm's schema. */
export function parseArms(p: TrainCompareParams): { name: string; params: ArmParams }[] {
  const seen = new Set<string>();
  return p.arms.map((arm, i) => {
    const { name, ...rest } = arm;
    if (seen.has(name)) throw new ConfigError(`workload.arms[${i}].name: duplicate arm name ${JSON.stringify(name)}`);
    seen.add(name);
    const r = armSchema.safeParse(rest);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ConfigError(`workload.arms[${i}] (${name}).${issue.path.join(".")}: ${issue.message}`);
    }
    return { name, params: r.data };
  });
}

export function trainCompare(ctx: TrainContext, p: TrainCompareParams): ArmRun {
  const arms = parseArms(p);
  const runs = new Map<string, ArmRun>();
  function* run() {
    for (const arm of arms) {
      const r = startArm(ctx, arm.name, arm.params);
      runs.set(arm.name, r);
      ctx.trace.emit("train.arm", { arm: arm.name, algorithm: arm.params.kind });
      yield r.done;
    }
    return summary();
  }
  function summary(): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: "train-compare", arms: arms.map((a) => a.name), backend: ctx.backend };
    for (const a of arms) {
      const r = runs.get(a.name);
      out[a.name] = r === undefined ? { started: false } : r.summary();
    }
    return out;
  }
  const done: Process<Record<string, unknown>> = ctx.env.process(run(), "train-compare");
  return { done, summary };
}
