// Settlement benchmarks: JSON lines {"bench":"chain","metric":..,"value":..,"unit":..}.
//   anvil_tx_per_s          ledger changes settled per second through the anvil ledger with
//                           per-block batching: 2,000 changes in one block, signed, sent, mined
//                           and reconciled (target >= 1,000)
//   anvil_market_tx_per_s   the same in a 1,000-job market scenario, where blocks are small
//                           (one per virtual second: ~10 changes each) and per-block costs rule
//   anvil_over_memory_time  wall time of that scenario settled on anvil / on the memory ledger
//   anvil_market_tx_per_s   again with 2-second blocks (blockTimeS: 2, the OP-stack L2's block
//     (blockTimeS 2)        time, REFERENCE §9): half the blocks, twice the changes per block
// The reference for the ratio (the memory run) is measured in the same process. Each line
// carries the machine's load average: the figures are wall-clock on a possibly shared machine.
//   bun bench/chain.ts [--quick]     (--quick: 200 jobs)
import { loadavg } from "node:os";
import { defaultLedgerConfig } from "../core/ledger/deployment.ts";
import { MemoryLedger } from "../core/ledger/memoryLedger.ts";
import { AnvilSettlement } from "../sim/chain/anvilSettlement.ts";
import { lastSettlement } from "../sim/chain/marketEntry.ts";
import { runScenario } from "../sim/run/runScenario.ts";
import { loadScenario } from "../sim/scenario/load.ts";

const quick = process.argv.includes("--quick");
const jobs = quick ? 200 : 1_000;
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ bench: "chain", metric, value: Number(value.toPrecision(4)), unit, ...extra, loadavg: Number(loadavg()[0].toFixed(2)) }));

const scenario = loadScenario(new URL("../scenarios/market-basic.yaml", import.meta.url).pathname, {
  sets: [`workload.jobs=${jobs}`, "workload.meanInterarrivalS=0.2"],
});

// Warm up (module loading, JIT) on a small memory run, so the ratio compares warm runs.
await runScenario(loadScenario(new URL("../scenarios/market-basic.yaml", import.meta.url).pathname, { sets: ["workload.jobs=20"] }), { settle: "memory", quiet: true });
let t0 = performance.now();
const memory = await runScenario(scenario, { settle: "memory", quiet: true });
const memoryMs = performance.now() - t0;
t0 = performance.now();
const anvil = await runScenario(scenario, { settle: "anvil", quiet: true });
const anvilMs = performance.now() - t0;
const stats = lastSettlement!.stats;
const same = JSON.stringify((memory.summary.workload as any).ledger) === JSON.stringify((anvil.summary.workload as any).ledger);
const scene = { scenario: "market-basic", jobs, blockTimeS: 1, ledgerChanges: stats.ledgerChanges, transactions: stats.transactions, blocks: stats.blocks };

emit("anvil_market_tx_per_s", stats.ledgerChanges / (stats.settleMs / 1000), "ledger changes/s", {
  ...scene,
  settleS: Number((stats.settleMs / 1000).toFixed(2)),
  reconciledValues: stats.reconciledValues,
});
emit("anvil_over_memory_time", anvilMs / memoryMs, "ratio", { ...scene, memoryS: Number((memoryMs / 1000).toFixed(2)), anvilS: Number((anvilMs / 1000).toFixed(2)), sameFinalLedger: same });

// The same scenario with 2-second blocks.
{
  const s2 = loadScenario(new URL("../scenarios/market-basic.yaml", import.meta.url).pathname, {
    sets: [`workload.jobs=${jobs}`, "workload.meanInterarrivalS=0.2", "workload.blockTimeS=2"],
  });
  await runScenario(s2, { settle: "anvil", quiet: true });
  const st = lastSettlement!.stats;
  emit("anvil_market_tx_per_s", st.ledgerChanges / (st.settleMs / 1000), "ledger changes/s", {
    scenario: "market-basic", jobs, blockTimeS: 2, ledgerChanges: st.ledgerChanges, transactions: st.transactions, blocks: st.blocks, settleS: Number((st.settleMs / 1000).toFixed(2)),
  });
}

// Per-block batching at full blocks: one block of 2,000 transfers between 200 accounts.
const memoryLedger = new MemoryLedger(defaultLedgerConfig);
const settlement = await AnvilSettlement.open(memoryLedger);
try {
  for (let i = 0; i < 200; i++) memoryLedger.transfer("deployer", `n${i}`, "GSN", 1_000_000n);
  await settlement.settle();
  memoryLedger.setTime(defaultLedgerConfig.genesisTime + 1);
  for (let i = 0; i < 2_000; i++) memoryLedger.transfer(`n${i % 200}`, `n${(i * 7 + 1) % 200}`, "GSN", 1n);
  const before = settlement.stats.settleMs;
  await settlement.settle();
  const ms = settlement.stats.settleMs - before;
  emit("anvil_tx_per_s", 2_000 / (ms / 1000), "ledger changes/s", { block: "2,000 GSN transfers from 200 senders, signed, sent, mined, reconciled" });
} finally {
  await settlement.close();
}
process.exit(0);
