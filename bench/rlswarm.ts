// RL Swarm workload speed: SAPO rounds per wall-clock second for 8 and 64 nodes (repops, batched
// replicas), and their ratio measured in the same run. Prints one JSON line per figure.
//   node_modules/.bin/bun bench/rlswarm.ts [--rounds 20]
import { parseArgs } from "node:util";
import { Environment, RngStreams } from "../core/des/index.ts";
import { defaultLedgerConfig } from "../core/ledger/deployment.ts";
import { MemoryLedger } from "../core/ledger/memoryLedger.ts";
import { repopsBackend } from "../core/ml/backends/repops.ts";
import type { RunContext } from "../core/run/context.ts";
import { rlswarmSchema } from "../core/train/rlswarm/params.ts";
import { startRlswarm } from "../core/train/rlswarm/swarm.ts";
import { World } from "../core/world/world.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "20" } } });
const rounds = Number(values.rounds);

function run(nodes: number): number {
  const env = new Environment();
  const streams = new RngStreams(1);
  const world = new World(env, streams, {
    groups: [{ count: nodes, hardware: { h100: 1 }, regions: { "us-east": 1 }, link: { datacenter: 1 } }],
    network: { loss: 0, jitter: 0.1, partitions: [] }, churn: null, computeJitter: 0,
  });
  const ctx = { env, streams, world, backend: "repops", settle: "memory", trace: { emit() {} }, metrics: { record() {} }, onBarrier() {} } as unknown as RunContext;
  const ledger = new MemoryLedger({ ...defaultLedgerConfig, swarm: { stageCount: 1 } }, { clock: () => defaultLedgerConfig.genesisTime + Math.floor(env.now / 1e6) });
  const p = rlswarmSchema.parse({ rounds, I: 4, J: 4, L: 4 });
  const t0 = performance.now();
  const r = startRlswarm(ctx, p, ledger, repopsBackend);
  env.run(r.done);
  return (performance.now() - t0) / 1000;
}

const out: Record<number, number> = {};
for (const nodes of [8, 64]) {
  const s = run(nodes);
  out[nodes] = rounds / s;
  console.log(JSON.stringify({ bench: "rlswarm.roundsPerSecond", nodes, rounds, I: 4, J: 4, L: 4, backend: "repops", seconds: Math.round(s * 100) / 100, roundsPerSecond: Math.round((rounds / s) * 100) / 100 }));
}
console.log(JSON.stringify({ bench: "rlswarm.nodeRoundsPerSecond.64vs8", ratio: Math.round(((out[64] * 64) / (out[8] * 8)) * 100) / 100 }));
