// The webgpu backend on its own (a real GPU where Dawn finds one, Mesa llvmpipe otherwise; see the
// adapter line printed at start): matmul GFLOP/s at n = 256, 512, 1024 through the Backend
// interface, one training step of bench/ml.ts's small transformer and of a small MLP (whose
// tensors are mostly under tfjs-backend-webgpu's 1000-element CPU-forwarding threshold), each
// against repops in the same run (ratio), and where the ops ran (GPU dispatches and CPU forwards
// per step, from the device side's counters). Prints JSON lines {"bench":"ml",...}.
// Run: bun bench/ml-webgpu.ts [--quick]
import { RngStreams } from "../core/des/rng.ts";
import type { Backend } from "../core/ml/backend.ts";
import { GaussianMixture } from "../core/ml/data/gaussianMixture.ts";
import { MarkovCorpus } from "../core/ml/data/markovCorpus.ts";
import { Graph } from "../core/ml/graph.ts";
import { initParams } from "../core/ml/model.ts";
import { buildMlp } from "../core/ml/models/mlp.ts";
import { buildTransformerLM } from "../core/ml/models/transformer.ts";
import type { Feeds } from "../core/ml/execute.ts";
import { ReplicaTrainer } from "../core/ml/replicaTrainer.ts";
import { buildTrainStep } from "../core/ml/trainStep.ts";
import { loadMlBackend } from "../sim/ml/backendOptions.ts";
import { openWebgpuChannel } from "../sim/ml/webgpuDevice.ts";

const quick = process.argv.includes("--quick");
const emit = (metric: string, value: number, unit: string) =>
  console.log(JSON.stringify({ bench: "ml", metric, value: Number(value.toPrecision(4)), unit }));
const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];

/**
 * Median wall and CPU milliseconds (this process, every thread: the device worker and Mesa's
 * llvmpipe threads included) of `reps` runs after `warmup`. On a shared machine the wall time
 * mostly measures the neighbours; compare the cputime lines there.
 */
function time(fn: () => void, warmup: number, reps: number): { wall: number; cpu: number } {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** n x n matmul through the Backend interface, operands resident, result downloaded. */
function matmul(be: Backend, n: number): { wall: number; cpu: number } {
  const g = new Graph();
  const node = g.node(g.op("matmul", [g.input("a", [n, n]), g.input("b", [n, n])]));
  const data = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const a = be.upload(data, [n, n], 1);
  const b = be.upload(data, [n, n], 1);
  const ms = time(() => {
    const c = be.exec(node, [[n, n], [n, n]], [a, b], 1);
    be.download(c);
    be.dispose(c);
  }, 1, quick ? 2 : n >= 1024 ? 3 : 7);
  be.dispose(a);
  be.dispose(b);
  return ms;
}

const webgpu = await loadMlBackend("webgpu").catch((e: Error) => {
  console.error(`bench/ml-webgpu: no webgpu backend: ${e.message}`);
  process.exit(1);
});
const repops = await loadMlBackend("repops");
const ch = await openWebgpuChannel();

for (const n of quick ? [256, 512] : [256, 512, 1024]) {
  const [g, r] = [matmul(webgpu, n), matmul(repops, n)];
  emit(`matmul_gflops_webgpu_${n}`, (2 * n ** 3) / (g.wall * 1e6), "GFLOP/s");
  emit(`matmul_gflops_repops_${n}`, (2 * n ** 3) / (r.wall * 1e6), "GFLOP/s");
  emit(`matmul_gflops_cputime_webgpu_${n}`, (2 * n ** 3) / (g.cpu * 1e6), "GFLOP/s");
  emit(`matmul_gflops_cputime_repops_${n}`, (2 * n ** 3) / (r.cpu * 1e6), "GFLOP/s");
  emit(`webgpu_over_repops_matmul_time_${n}`, g.wall / r.wall, "x");
}

const streams = new RngStreams(1);
const cfg = { vocab: 16, context: 32, width: 64, heads: 4, layers: 2, batch: 8 }; // as bench/ml.ts
const lm = buildTrainStep((g) => buildTransformerLM(g, cfg), { kind: "adamw" });
const w = new MarkovCorpus({ vocab: 16, order: 2, concentration: 0.3 }, streams.stream("corpus")).sample(cfg.batch, cfg.context, streams.stream("data"));
const mcfg = { inDim: 16, hidden: [32], classes: 4, batch: 16 };
const mlp = buildTrainStep((g) => buildMlp(g, mcfg), { kind: "adamw" });
const m = new GaussianMixture({ classes: 4, dim: 16, separation: 1 }, streams.stream("mix")).sample(mcfg.batch, streams.stream("mixdata"));
const cases: { name: string; step: typeof lm; feeds: Feeds; init: ReturnType<typeof initParams> }[] = [
  { name: "transformer", step: lm, feeds: { tokens: w.tokens, targets: w.targets }, init: initParams(lm.params, streams.stream("init")) },
  { name: "mlp", step: mlp, feeds: { x: m.x, y: m.y }, init: initParams(mlp.params, streams.stream("mlp")) },
];
for (const c of cases) {
  const ms: Record<string, { wall: number; cpu: number }> = {};
  for (const be of [webgpu, repops]) {
    const trainer = new ReplicaTrainer(c.step, be, 1, c.init);
    ms[be.name] = time(() => trainer.run(c.feeds, 1e-3), 2, quick ? 3 : 9);
    emit(`train_step_ms_${c.name}_${be.name}`, ms[be.name].wall, "ms");
    emit(`train_step_cputime_ms_${c.name}_${be.name}`, ms[be.name].cpu, "ms");
  }
  emit(`webgpu_over_repops_train_step_time_${c.name}`, ms.webgpu.wall / ms.repops.wall, "x");
  // One more step on webgpu, counted on the device side.
  const trainer = new ReplicaTrainer(c.step, webgpu, 1, c.init);
  const before = ch.stats?.();
  trainer.run(c.feeds, 1e-3);
  const after = ch.stats?.();
  if (before && after) {
    emit(`train_step_ops_${c.name}_webgpu`, after.execs - before.execs, "ops");
    emit(`train_step_gpu_dispatches_${c.name}_webgpu`, after.dispatches - before.dispatches, "dispatches");
    emit(`train_step_cpu_forwards_${c.name}_webgpu`, after.cpuForwards - before.cpuForwards, "forwards");
  }
}
process.exit(0); // a process that used WebGPU (Dawn) must end explicitly (STACK: WebGPU without a GPU)
