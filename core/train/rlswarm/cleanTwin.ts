// The clean twin of an adversarial swarm (REFERENCE §7): after the run finishes, the same swarm
// without adversaries runs on the same world with the same seed and stream keys (the same
// questions, sampling draws and base model: a paired comparison) and its own in-memory coordinator,
// so a scenario can check a finding such as "30% poisoners cost the honest nodes reward" in one
// run. Its summary lands under `clean`; its trace and metrics are not recorded.
import { SimEvent, type ProcessGenerator } from "../../des/index.ts";
import type { LedgerConfig } from "../../ledger/deployment.ts";
import type { Ledger } from "../../ledger/ledger.ts";
import { MemoryLedger } from "../../ledger/memoryLedger.ts";
import type { Backend } from "../../ml/backend.ts";
import type { RunContext } from "../../run/context.ts";
import type { WorkloadRun } from "../../run/workload.ts";
import type { RlswarmParams } from "./params.ts";
import { startRlswarm } from "./swarm.ts";

export function startWithCleanTwin(ctx: RunContext, p: RlswarmParams, ledger: Ledger, backend: Backend, config: LedgerConfig): WorkloadRun {
  const main = startRlswarm(ctx, p, ledger, backend, config);
  if (!p.cleanTwin) return main;
  const { env } = ctx;
  let twin: WorkloadRun | null = null;
  const done = env.process((function* (): ProcessGenerator<void> {
    yield main.done as SimEvent<unknown>;
    const quiet = { ...ctx, trace: { emit() {} }, metrics: { record() {} } } as unknown as RunContext;
    const start = env.now;
    const own = new MemoryLedger(config, { clock: () => config.genesisTime + Math.floor((env.now - start) / 1e6) });
    twin = startRlswarm(quiet, { ...p, adversaries: [] }, own, backend, config);
    yield twin.done as SimEvent<unknown>;
  })(), "rlswarm clean twin");
  return {
    done,
    summary() {
      const s = main.summary();
      if (!twin) return s;
      const t = twin.summary() as Record<string, unknown>;
      const { curve: _c, perNode: _p, ...clean } = t;
      return { ...s, clean };
    },
  };
}
