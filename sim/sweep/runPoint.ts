// Runs one sweep point into a run directory (written to a partial sibling, renamed when complete).
import { runScenario } from "../run/runScenario.ts";
import type { SweepPoint } from "./expandSweep.ts";
import { pointScenario, pointSets, type SweepPlan } from "./sweepPlan.ts";

export type PointInput = Pick<SweepPlan, "doc" | "file">;

export async function runPoint(plan: PointInput, point: SweepPoint, outDir: string): Promise<string> {
  const scenario = pointScenario(plan, point);
  const r = await runScenario(scenario, { seed: point.seed, outDir, quiet: true, source: { file: plan.file, sets: pointSets(point) } });
  return r.eventsHash;
}
