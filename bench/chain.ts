// Settlement benchmarks: JSON lines {"bench":"chain","metric":..,"value":..,"unit":..}.
//   anvil_tx_per_s            ledger changes settled per second through the anvil ledger in full
//                             blocks: 2,000 GSN transfers from 200 senders in one block, signed
//                             (sim/chain/txSigner.ts, chunks written as they are signed), sent,
//                             mined and reconciled; median of 3 blocks
//   anvil_tx_per_s_reference  the same blocks the way settlement sent them before: viem's
//     (per-tx viem signing)   signTransaction per transaction, then batches of 500, then mined
//                             (no reconciliation reads: a reference that is, if anything, fast)
//   anvil_over_reference      the ratio of the two (same anvil, same block, same run)
//   anvil_cpu_ms_per_tx       where a full block's time goes: this process's CPU and anvil's CPU
//                             (from /proc) per ledger change, for both paths
//   anvil_floor_tx_per_s      anvil's own ceiling: the simplest transaction there is (a 21,000-gas
//                             ETH transfer, no contract code), signed BEFORE the clock starts,
//                             then sent in batches of 500 and mined, 2,000 a block; and the same
//                             sent unsigned from impersonated senders (no signature recovery).
//                             No client can settle faster through this anvil on this machine.
//   anvil_market_tx_per_s     the 1,000-job market scenario on anvil: ~12 changes a block, one
//                             block per virtual second, so per-block costs rule
//   anvil_over_memory_time    wall time of that scenario settled on anvil / on the memory ledger
//   anvil_market_ms_per_block where a market block's time goes: wall, this process's CPU, anvil's
//                             CPU, and anvil's CPU to mine one empty block on the final state
//                             (its per-block state-root computation, which grows with the state)
// The references (memory run; per-tx viem path) are measured in the same process. Each line
// carries the machine's load average: the figures are wall-clock on a possibly shared machine,
// and the CPU splits are what to compare across machines.
//   bun bench/chain.ts [--quick]     (--quick: 200 jobs)
import { loadavg } from "node:os";
import { encodeFunctionData, keccak256, stringToHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { defaultLedgerConfig } from "../core/ledger/deployment.ts";
import { MemoryLedger } from "../core/ledger/memoryLedger.ts";
import { processCpuMs, rpcCall, startAnvil } from "../sim/chain/anvil.ts";
import { AnvilSettlement } from "../sim/chain/anvilSettlement.ts";
import { functionAbi } from "../sim/chain/artifacts.ts";
import { jsonRpcRequests } from "../sim/chain/jsonRpcBatch.ts";
import { lastSettlement, settlementTarget } from "../sim/chain/marketEntry.ts";
import { runScenario } from "../sim/run/runScenario.ts";
import { loadScenario } from "../sim/scenario/load.ts";

const quick = process.argv.includes("--quick");
const jobs = quick ? 200 : 1_000;
const round = (x: number, digits = 4) => Number(x.toPrecision(digits));
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ bench: "chain", metric, value: round(value), unit, ...extra, loadavg: Number(loadavg()[0].toFixed(2)) }));
/** This process's main-thread CPU (ms), as SettlementStats.settleCpuMs counts it. */
const cpuNow = () => {
  const u = (process as unknown as { threadCpuUsage: () => NodeJS.CpuUsage }).threadCpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// --- Full blocks -------------------------------------------------------------------------------
// Two chains set up alike (contracts deployed, 200 funded senders): blocks alternate between our
// path on one and the reference path on the other, so both see the same machine load.
{
  const SENDERS = 200;
  const PER_BLOCK = 2_000;
  const ROUNDS = 3;
  const open = async () => {
    const ledger = new MemoryLedger(defaultLedgerConfig);
    const s = await AnvilSettlement.open(ledger);
    for (let i = 0; i < SENDERS; i++) ledger.transfer("deployer", `n${i}`, "GSN", 1_000_000n);
    await s.settle();
    return { ledger, s };
  };
  const a = await open();
  const b = await open();
  try {
    // The reference: the same transfers between the same keys (chainAccounts.ts derivation),
    // signed one by one with viem. Its chain then runs ahead of its memory ledger, so it is
    // never reconciled again (close, not finish).
    const keys = Array.from({ length: SENDERS }, (_, i) => privateKeyToAccount(keccak256(stringToHex(`gsim account n${i}`))));
    const counts = await jsonRpcRequests(b.s.node.url, keys.map((k) => ({ method: "eth_getTransactionCount", params: [k.address, "latest"] })));
    const nonces = counts.map((c) => Number(c));
    await jsonRpcRequests(b.s.node.url, keys.map((k) => ({ method: "anvil_setBalance", params: [k.address, "0x3635c9adc5dea00000"] }))); // gas money, as the batcher gives
    const token = b.s.address("Token");
    const transferAbi = functionAbi("Token", "transfer");
    const ours: { wall: number; cpu: number; anvil: number }[] = [];
    const reference: { wall: number; cpu: number; anvil: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      a.ledger.setTime(defaultLedgerConfig.genesisTime + round);
      for (let i = 0; i < PER_BLOCK; i++) a.ledger.transfer(`n${i % SENDERS}`, `n${(i * 7 + 1) % SENDERS}`, "GSN", 1n);
      const [w0, c0, a0] = [a.s.stats.settleMs, a.s.stats.settleCpuMs, processCpuMs(a.s.node.pid)!];
      await a.s.settle();
      ours.push({ wall: a.s.stats.settleMs - w0, cpu: a.s.stats.settleCpuMs - c0, anvil: processCpuMs(a.s.node.pid)! - a0 });

      const [t0, rc0, ra0] = [performance.now(), cpuNow(), processCpuMs(b.s.node.pid)!];
      const raws: Hex[] = [];
      for (let i = 0; i < PER_BLOCK; i++) {
        const from = i % SENDERS;
        const data = encodeFunctionData({ abi: transferAbi, functionName: "transfer", args: [keys[(i * 7 + 1) % SENDERS].address, 1n] } as never);
        raws.push(await keys[from].signTransaction({ type: "legacy", chainId: 31_337, nonce: nonces[from]++, to: token, data, gas: 3_000_000n, gasPrice: BigInt(PER_BLOCK - i) }));
      }
      await jsonRpcRequests(b.s.node.url, raws.map((r) => ({ method: "eth_sendRawTransaction", params: [r] })), { chunk: 500 });
      await rpcCall(b.s.node.url, "evm_mine", [defaultLedgerConfig.genesisTime + round]);
      const n = Number(await rpcCall(b.s.node.url, "eth_getBlockTransactionCountByNumber", ["latest"]));
      if (n !== PER_BLOCK) throw new Error(`reference block holds ${n} transactions, expected ${PER_BLOCK}`);
      reference.push({ wall: performance.now() - t0, cpu: cpuNow() - rc0, anvil: processCpuMs(b.s.node.pid)! - ra0 });
    }
    const perS = (xs: { wall: number }[]) => PER_BLOCK / (median(xs.map((x) => x.wall)) / 1000);
    const block = `${PER_BLOCK} GSN transfers from ${SENDERS} senders`;
    emit("anvil_tx_per_s", perS(ours), "ledger changes/s", { block: `${block}: signed, sent, mined, reconciled`, blocksMs: ours.map((x) => Math.round(x.wall)) });
    emit("anvil_tx_per_s_reference", perS(reference), "ledger changes/s", { block: `${block}: viem signTransaction per tx, sent, mined`, blocksMs: reference.map((x) => Math.round(x.wall)) });
    emit("anvil_over_reference", perS(ours) / perS(reference), "ratio", { block });
    for (const [path, xs] of [["ours", ours], ["reference", reference]] as const) {
      const client = median(xs.map((x) => x.cpu)) / PER_BLOCK;
      const anvil = median(xs.map((x) => x.anvil)) / PER_BLOCK;
      emit("anvil_cpu_ms_per_tx", client + anvil, "ms CPU per ledger change", {
        path,
        clientMs: round(client, 3),
        anvilMs: round(anvil, 3),
        // What two idle cores would allow, the two processes overlapping perfectly.
        cpuBoundPerS: Math.round(1000 / Math.max(client, anvil)),
      });
    }
  } finally {
    await a.s.close();
    await b.s.close();
  }
}

// --- Anvil's floor ------------------------------------------------------------------------------
{
  const SENDERS = 200;
  const PER_BLOCK = 2_000;
  const node = await startAnvil({ genesisTimestamp: defaultLedgerConfig.genesisTime, extraArgs: ["--auto-impersonate"] });
  try {
    const keys = Array.from({ length: SENDERS }, (_, i) => privateKeyToAccount(keccak256(stringToHex(`gsim floor ${i}`))));
    await jsonRpcRequests(node.url, keys.map((k) => ({ method: "anvil_setBalance", params: [k.address, "0x3635c9adc5dea00000"] })));
    const nonces = new Array<number>(SENDERS).fill(0);
    const to = (i: number) => keys[(i * 7 + 1) % SENDERS].address;
    const blocks = { signed: [] as { wall: number; anvil: number }[], impersonated: [] as { wall: number; anvil: number }[] };
    const mine = async (requests: { method: string; params: unknown[] }[], into: { wall: number; anvil: number }[]) => {
      const [t0, a0] = [performance.now(), processCpuMs(node.pid)!];
      await jsonRpcRequests(node.url, requests, { chunk: 500 });
      await rpcCall(node.url, "evm_mine", [], 60_000);
      into.push({ wall: performance.now() - t0, anvil: processCpuMs(node.pid)! - a0 });
      const n = Number(await rpcCall(node.url, "eth_getBlockTransactionCountByNumber", ["latest"]));
      if (n !== PER_BLOCK) throw new Error(`floor block holds ${n} transactions, expected ${PER_BLOCK}`);
    };
    for (let round = 0; round < 4; round++) {
      const raws: Hex[] = [];
      for (let i = 0; i < PER_BLOCK; i++) {
        const f = i % SENDERS;
        raws.push(await keys[f].signTransaction({ type: "legacy", chainId: 31_337, nonce: nonces[f]++, to: to(i), value: 1n, gas: 21_000n, gasPrice: 2_000_000_000n }));
      }
      await mine(raws.map((r) => ({ method: "eth_sendRawTransaction", params: [r] })), blocks.signed);
      const unsigned = Array.from({ length: PER_BLOCK }, (_, i) => {
        const f = i % SENDERS;
        return { method: "eth_sendTransaction", params: [{ from: keys[f].address, to: to(i), value: "0x1", gas: "0x5208", gasPrice: "0x77359400", nonce: `0x${(nonces[f]++).toString(16)}` }] };
      });
      await mine(unsigned, blocks.impersonated);
    }
    for (const [path, xs] of Object.entries(blocks)) {
      const warm = xs.slice(1); // the first block of each warms anvil up
      emit("anvil_floor_tx_per_s", PER_BLOCK / (median(warm.map((x) => x.wall)) / 1000), "transactions/s", {
        path,
        block: `${PER_BLOCK} ETH transfers from ${SENDERS} senders, ${path === "signed" ? "pre-signed" : "unsigned, impersonated"}, sent, mined`,
        anvilCpuMsPerTx: round(median(warm.map((x) => x.anvil)) / PER_BLOCK, 3),
        blocksMs: warm.map((x) => Math.round(x.wall)),
      });
    }
  } finally {
    await node.stop();
  }
}

// --- The 1,000-job market ---------------------------------------------------------------------
const scenarioPath = new URL("../scenarios/market-basic.yaml", import.meta.url).pathname;
// Warm up (module loading, JIT) on a small memory run, so the ratio compares warm runs.
await runScenario(loadScenario(scenarioPath, { sets: ["workload.jobs=20"] }), { settle: "memory", quiet: true });
for (const blockTimeS of [1, 2, 12]) {
  const scenario = loadScenario(scenarioPath, { sets: [`workload.jobs=${jobs}`, "workload.meanInterarrivalS=0.2", `workload.blockTimeS=${blockTimeS}`] });
  let memoryMs = 0;
  let memoryLedgerSummary = "";
  if (blockTimeS === 1) {
    const t0 = performance.now();
    const memory = await runScenario(scenario, { settle: "memory", quiet: true });
    memoryMs = performance.now() - t0;
    memoryLedgerSummary = JSON.stringify((memory.summary.workload as any).ledger);
  }
  // An anvil started here (settlement then leaves it running), to read its CPU time and to mine
  // an empty block on the final state.
  const node = await startAnvil({ genesisTimestamp: defaultLedgerConfig.genesisTime });
  settlementTarget.rpc = node.url;
  try {
    const t0 = performance.now();
    const anvil = await runScenario(scenario, { settle: "anvil", quiet: true });
    const anvilMs = performance.now() - t0;
    const anvilCpu = processCpuMs(node.pid)!;
    const st = lastSettlement!.stats;
    const snapshot = await rpcCall(node.url, "evm_snapshot");
    const e0 = processCpuMs(node.pid)!;
    for (let i = 0; i < 10; i++) await rpcCall(node.url, "evm_mine");
    const emptyBlockMs = (processCpuMs(node.pid)! - e0) / 10;
    await rpcCall(node.url, "evm_revert", [snapshot]);
    const scene = { scenario: "market-basic", jobs, blockTimeS, ledgerChanges: st.ledgerChanges, transactions: st.transactions, blocks: st.blocks };
    emit("anvil_market_tx_per_s", st.ledgerChanges / (st.settleMs / 1000), "ledger changes/s", { ...scene, settleS: round(st.settleMs / 1000, 3), reconciledValues: st.reconciledValues });
    if (blockTimeS === 1) {
      const same = JSON.stringify((anvil.summary.workload as any).ledger) === memoryLedgerSummary;
      emit("anvil_over_memory_time", anvilMs / memoryMs, "ratio", { ...scene, memoryS: round(memoryMs / 1000, 3), anvilS: round(anvilMs / 1000, 3), sameFinalLedger: same });
    }
    emit("anvil_market_ms_per_block", st.settleMs / st.blocks, "ms wall per block", {
      ...scene,
      clientCpuMs: round(st.settleCpuMs / st.blocks, 3),
      anvilCpuMs: round(anvilCpu / st.blocks, 3), // deployment included
      anvilEmptyBlockCpuMs: round(emptyBlockMs, 3),
    });
  } finally {
    settlementTarget.rpc = null;
    await node.stop();
  }
}
process.exit(0);
