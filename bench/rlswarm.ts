// RL Swarm workload speed: SAPO rounds per wall-clock second for 8 and 64 nodes (repops, policies
// batched as replicas), with 64 nodes' node-rounds per second as a ratio of 8 nodes' measured in
// the same run; `--stages 3` measures the v1 three-stage rounds instead. Wall and this process's
// CPU seconds are both reported: on a shared machine the CPU figure is the one to compare. The
// last line estimates the CPU time of the SAPO notebook's 4-arm x 8-seed comparison (32 runs of
// 8 nodes x 150 rounds) from the measured 8-node CPU per round and the base model's warm start.
// One JSON line per figure: {"bench","metric","value","unit",...}.
//   node_modules/.bin/bun bench/rlswarm.ts [--rounds 20] [--stages 1|3] [--sizes 8,64]
import { parseArgs } from "node:util";
import { Environment, RngStreams } from "../core/des/index.ts";
import { defaultLedgerConfig } from "../core/ledger/deployment.ts";
import { MemoryLedger } from "../core/ledger/memoryLedger.ts";
import { repopsBackend } from "../core/ml/backends/repops.ts";
import type { RunContext } from "../core/run/context.ts";
import { rlswarmSchema } from "../core/train/rlswarm/params.ts";
import { startRlswarm } from "../core/train/rlswarm/swarm.ts";
import { World } from "../core/world/world.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "20" }, stages: { type: "string", default: "1" }, sizes: { type: "string", default: "8,64" } } });
const rounds = Number(values.rounds);
const stages = Number(values.stages);
const sizes = values.sizes!.split(",").map(Number);
if (!(rounds > 0) || ![1, 3].includes(stages) || sizes.some((n) => !(n > 0))) {
  console.error(`bench/rlswarm.ts: bad --rounds ${values.rounds}, --stages ${values.stages} or --sizes ${values.sizes}`);
  process.exit(2);
}

/** Seconds of the rounds alone (env.run), and of the setup (the base model's warm start, joining). */
function run(nodes: number): { wall: number; cpu: number; setupCpu: number } {
  const env = new Environment();
  const streams = new RngStreams(1);
  const world = new World(env, streams, {
    groups: [{ count: nodes, hardware: { h100: 1 }, regions: { "us-east": 1 }, link: { datacenter: 1 } }],
    network: { loss: 0, jitter: 0.1, partitions: [] }, churn: null, computeJitter: 0,
  });
  const ctx = { env, streams, world, backend: "repops", settle: "memory", trace: { emit() {} }, metrics: { record() {} }, onBarrier() {} } as unknown as RunContext;
  const ledger = new MemoryLedger({ ...defaultLedgerConfig, swarm: { stageCount: stages } }, { clock: () => defaultLedgerConfig.genesisTime + Math.floor(env.now / 1e6) });
  const p = rlswarmSchema.parse({ rounds, stages, I: 4, J: 4, L: 4 });
  const cpuNow = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  const s0 = cpuNow();
  const run = startRlswarm(ctx, p, ledger, repopsBackend);
  const t0 = performance.now();
  const c0 = cpuNow();
  env.run(run.done);
  return { wall: (performance.now() - t0) / 1000, cpu: cpuNow() - c0, setupCpu: c0 - s0 };
}

const r2 = (x: number) => Math.round(x * 1000) / 1000;
let setupCpu = 0;
const perSecond: Record<number, { wall: number; cpu: number }> = {};
for (const nodes of sizes) {
  const s = run(nodes);
  perSecond[nodes] = { wall: rounds / s.wall, cpu: rounds / s.cpu };
  if (nodes === sizes[0]) setupCpu = s.setupCpu;
  console.log(JSON.stringify({ bench: "rlswarm", metric: "roundsPerSecond", value: r2(rounds / s.wall), unit: "rounds/s", nodes, rounds, stages, I: 4, J: 4, L: 4, backend: "repops", wallSeconds: r2(s.wall), cpuSeconds: r2(s.cpu), roundsPerCpuSecond: r2(rounds / s.cpu), setupCpuSeconds: r2(s.setupCpu) }));
}
const ref = sizes[0];
for (const nodes of sizes.slice(1)) {
  // Node-rounds per second relative to the first size: 1 = cost linear in nodes (batching keeps up).
  const ratio = (k: "wall" | "cpu") => Math.round(((perSecond[nodes][k] * nodes) / (perSecond[ref][k] * ref)) * 100) / 100;
  console.log(JSON.stringify({ bench: "rlswarm", metric: `nodeRoundsPerSecond.${nodes}vs${ref}`, value: ratio("cpu"), unit: "ratio (CPU time)", wallRatio: ratio("wall"), stages }));
}
if (ref === 8 && stages === 1) {
  // 32 runs x (warm start + 150 rounds), from the 8-node figures above.
  const perRoundCpu = 1 / perSecond[8].cpu;
  const runCpu = setupCpu + 150 * perRoundCpu;
  console.log(JSON.stringify({ bench: "rlswarm", metric: "sapoComparison4x8.cpuMinutes", value: Math.round(((32 * runCpu) / 60) * 10) / 10, unit: "CPU minutes (estimate)", onTwoCores: Math.round(((32 * runCpu) / 120) * 10) / 10, perRunCpuSeconds: r2(runCpu) }));
}
