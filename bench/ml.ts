// ML engine benchmark: matmul GFLOP/s per backend at n = 256, 512, 1024, one training step of a
// fixed small transformer per backend, batched-replica MLP throughput, and the RepOps/tfjs-wasm
// matmul time ratio measured in the same run (target <= 3). Prints JSON lines
// {"bench":"ml","metric":...,"value":...,"unit":...}. Run: bun bench/ml.ts [--quick]
// Wall times on a shared machine measure the neighbours too; *_cputime_* lines use this process's CPU time.
import { RngStreams } from "../core/des/rng.ts";
import type { Backend } from "../core/ml/backend.ts";
import { stepCost } from "../core/ml/accounting.ts";
import { MarkovCorpus } from "../core/ml/data/markovCorpus.ts";
import { GaussianMixture } from "../core/ml/data/gaussianMixture.ts";
import { Graph } from "../core/ml/graph.ts";
import { initParams } from "../core/ml/model.ts";
import { buildMlp } from "../core/ml/models/mlp.ts";
import { buildTransformerLM } from "../core/ml/models/transformer.ts";
import { ReplicaTrainer } from "../core/ml/replicaTrainer.ts";
import { buildTrainStep } from "../core/ml/trainStep.ts";
import { loadMlBackend } from "../sim/ml/backendOptions.ts";
import { benchMatmul } from "./ml-kernels.ts";

const quick = process.argv.includes("--quick");
const emit = (metric: string, value: number, unit: string) =>
  console.log(JSON.stringify({ bench: "ml", metric, value: Number(value.toPrecision(4)), unit }));
const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];

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
function matmulThroughBackend(be: Backend, n: number): { wall: number; cpu: number } {
  const g = new Graph();
  const mm = g.op("matmul", [g.input("a", [n, n]), g.input("b", [n, n])]);
  const node = g.node(mm);
  const data = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const a = be.upload(data, [n, n], 1);
  const b = be.upload(data, [n, n], 1);
  const r = time(() => {
    const c = be.exec(node, [[n, n], [n, n]], [a, b], 1);
    be.download(c);
    be.dispose(c);
  }, 1, quick ? 2 : n >= 1024 ? 3 : 7);
  be.dispose(a);
  be.dispose(b);
  return r;
}

// 1. Matmul: repops and tfjs-wasm from ML-KERNELS' benchMatmul (same run, includes the ratio).
for (const line of await benchMatmul([256, 512, 1024], quick)) console.log(JSON.stringify(line));
const cpu = await loadMlBackend("tfjs-cpu");
for (const n of [256, 512, 1024]) {
  if (quick && n === 1024) continue;
  const t = matmulThroughBackend(cpu, n);
  emit(`matmul_gflops_tfjs-cpu_${n}`, (2 * n ** 3) / (t.wall * 1e6), "GFLOP/s");
  emit(`matmul_gflops_cputime_tfjs-cpu_${n}`, (2 * n ** 3) / (t.cpu * 1e6), "GFLOP/s");
}
// webgpu (tfjs-backend-webgpu on Dawn: the GPU, or Mesa llvmpipe without one); skipped with a note if no adapter.
const webgpu = await loadMlBackend("webgpu").catch((e: Error) => (console.error(`bench/ml: webgpu skipped: ${e.message}`), null));
for (const n of webgpu ? [256, 512, 1024] : []) {
  if (quick && n === 1024) continue;
  emit(`matmul_gflops_webgpu_${n}`, (2 * n ** 3) / (matmulThroughBackend(webgpu!, n).wall * 1e6), "GFLOP/s");
}

// 2. One training step (forward + backward + AdamW) of a fixed small transformer, per backend.
const cfg = { vocab: 16, context: 32, width: 64, heads: 4, layers: 2, batch: 8 };
const streams = new RngStreams(1);
const corpus = new MarkovCorpus({ vocab: 16, order: 2, concentration: 0.3 }, streams.stream("corpus"));
const step = buildTrainStep((g) => buildTransformerLM(g, cfg), { kind: "adamw" });
const cost = stepCost(step);
emit("train_step_gflop_transformer", cost.total.flops / 1e9, "GFLOP");
const params = initParams(step.params, streams.stream("init"));
const batch = corpus.sample(cfg.batch, cfg.context, streams.stream("data"));
for (const name of ["repops", "tfjs-wasm", "tfjs-cpu", ...(webgpu ? ["webgpu"] : [])]) {
  const be = await loadMlBackend(name);
  const trainer = new ReplicaTrainer(step, be, 1, params);
  const t = time(() => trainer.run({ tokens: batch.tokens, targets: batch.targets }, 1e-3), 2, quick ? 3 : 9);
  emit(`train_step_ms_${name}`, t.wall, "ms");
  emit(`train_step_cputime_ms_${name}`, t.cpu, "ms");
}

// 3. Thousands of replicas: one batched MLP step for R replicas on repops.
const mix = new GaussianMixture({ classes: 4, dim: 16, separation: 1 }, streams.stream("mix"));
const mcfg = { inDim: 16, hidden: [32], classes: 4, batch: 16 };
const mstep = buildTrainStep((g) => buildMlp(g, mcfg), { kind: "adamw" });
const repops = await loadMlBackend("repops");
for (const R of quick ? [1000] : [1, 1000, 4000]) {
  const trainer = new ReplicaTrainer(mstep, repops, R, initParams(mstep.params, streams.stream("mlp")));
  const d = mix.sample(mcfg.batch * R, streams.stream("mixdata", R));
  const t = time(() => trainer.run({ x: d.x, y: d.y }, 1e-3), 1, quick ? 2 : 5);
  emit(`mlp_step_ms_repops_replicas_${R}`, t.wall, "ms");
  emit(`mlp_step_us_per_replica_repops_replicas_${R}`, (t.wall * 1000) / R, "us");
}

// 3b. The same 1000-replica MLP step with every op's operands copied into wasm memory and its result out
// again (what repops did before values stayed resident between ops), against resident, same run.
{
  const copyPerOp: Backend<Float32Array> = {
    ...repops, upload: (d) => d, download: (v) => v, dispose: () => {},
    exec(node, shapes, xs, R) {
      const ins = xs.map((x, k) => repops.upload(x, shapes[k], R));
      const out = repops.exec(node, shapes, ins, R);
      const data = repops.download(out);
      for (const v of [...ins, out]) repops.dispose(v);
      return data;
    },
  };
  const R = 1000;
  const d = mix.sample(mcfg.batch * R, streams.stream("mixdata-copy", R));
  const init = initParams(mstep.params, streams.stream("mlp-copy"));
  const [copied, resident] = [copyPerOp, repops].map((be) => {
    const trainer = new ReplicaTrainer(mstep, be, R, init);
    return time(() => trainer.run({ x: d.x, y: d.y }, 1e-3), 1, quick ? 2 : 5);
  });
  emit(`mlp_step_cputime_ms_repops_copy_per_op_replicas_${R}`, copied.cpu, "ms");
  emit(`mlp_step_cputime_ms_repops_resident_replicas_${R}`, resident.cpu, "ms");
  emit(`mlp_step_resident_speedup_vs_copy_per_op_replicas_${R}`, copied.cpu / resident.cpu, "x");
}

// 4. A tiny transformer (3.6k parameters, 4 sequences of 8 tokens) for 1000 replicas at once.
{
  const tcfg = { vocab: 8, context: 8, width: 16, heads: 2, layers: 1, batch: 4 };
  const tstep = buildTrainStep((g) => buildTransformerLM(g, tcfg), { kind: "adamw" });
  const R = 1000;
  const trainer = new ReplicaTrainer(tstep, repops, R, initParams(tstep.params, streams.stream("tiny")));
  const tc = new MarkovCorpus({ vocab: 8, order: 2, concentration: 0.3 }, streams.stream("tiny-corpus"));
  const w = tc.sample(tcfg.batch * R, tcfg.context, streams.stream("tiny-data"));
  const t = time(() => trainer.run({ tokens: w.tokens, targets: w.targets }, 1e-3), 1, quick ? 2 : 4);
  emit(`tiny_transformer_step_ms_repops_replicas_${R}`, t.wall, "ms");
  emit(`tiny_transformer_step_cputime_us_per_replica_repops_replicas_${R}`, (t.cpu * 1000) / R, "us");
}
process.exit(0); // a process that used WebGPU (Dawn) must end explicitly (STACK: WebGPU without a GPU)
