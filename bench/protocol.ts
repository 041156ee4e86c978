// Protocol-loop benchmarks: JSON lines {"bench":"protocol","metric":..,"value":..,"unit":..}.
//   e2e_wall_s              wall time of scenarios/protocol-e2e.yaml on the memory ledger (40 DiLoCo
//                           workers, 16 liars, every contribution a job, verifiers at p = 0.2,
//                           disputes on real traces; target: under 120 s on the 2-core dev machine)
//   e2e_over_training_time  that / the same DiLoCo run with no liars and no verifiers (batched
//                           replicas, no jobs), measured in the same process: what the protocol
//                           loop (per-worker programs, hashing every step, re-execution, games) costs
//   e2e_anvil_over_memory   the e2e run settled on anvil / on the memory ledger
// Each line carries the machine's load average: the figures are wall-clock on a shared machine.
//   bun bench/protocol.ts
import { loadavg } from "node:os";
import { runScenario } from "../sim/run/runScenario.ts";
import { loadScenario } from "../sim/scenario/load.ts";

const file = new URL("../scenarios/protocol-e2e.yaml", import.meta.url).pathname;
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ bench: "protocol", metric, value: Number(value.toPrecision(4)), unit, ...extra, loadavg: Number(loadavg()[0].toFixed(2)) }));

async function timed(sets: string[], settle: "memory" | "anvil" = "memory"): Promise<number> {
  const t0 = performance.now();
  await runScenario(loadScenario(file, { sets }), { settle, quiet: true });
  return (performance.now() - t0) / 1000;
}

await timed(["workload.training.steps=20"]); // warm-up: module loading, JIT
const plain = await timed(["workload.training.adversaries=null", "workload.training.verification.rate=0"]);
const e2e = await timed([]);
emit("e2e_wall_s", e2e, "s", { workers: 40, liars: 16, rate: 0.2 });
emit("e2e_over_training_time", e2e / plain, "ratio", { trainingWallS: Number(plain.toFixed(3)) });
const anvil = await timed([], "anvil");
emit("e2e_anvil_over_memory", anvil / e2e, "ratio", { anvilWallS: Number(anvil.toFixed(3)) });
