// Benchmark of the RepOps kernels: fixed-order WebAssembly SIMD matmul versus @tensorflow/tfjs-backend-wasm
// (XNNPACK, SIMD, not reproducible) measured in the same run, plus copy overhead and elementwise speed.
// Prints JSON lines {"bench":"ml","metric":...,"value":...,"unit":...}. Run: bun bench/ml-kernels.ts [--quick]
// ML-ENGINE's bench/ml.ts may import benchMatmul().
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import * as K from "../core/ml/repops/kernels.ts";
import * as R from "../core/ml/repops/reference.ts";
import { beginKernelCall } from "../core/ml/repops/repopsWasm.ts";
import { WasmTensor } from "../core/ml/repops/wasmTensor.ts";

export interface BenchLine { bench: "ml"; metric: string; value: number; unit: string }

function fill(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

const median = (t: number[]) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)];

/**
 * Median wall and CPU milliseconds of `reps` runs after `warmup` runs. CPU time (this process, user +
 * system) is also reported because the development machines are shared: wall time there mostly
 * measures the neighbours. The kernels are single-threaded, so CPU time ~ wall time on an idle machine.
 */
function timeBoth(fn: () => void, warmup: number, reps: number): { wall: number; cpu: number } {
  for (let i = 0; i < warmup; i++) fn();
  const wall: number[] = [], cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const timeMs = (fn: () => void, warmup: number, reps: number) => timeBoth(fn, warmup, reps).wall;

/** timeBoth for two functions run alternately, so a change in machine load hits both alike. */
function timeInterleaved(f: () => void, g: () => void, warmup: number, reps: number) {
  for (let i = 0; i < warmup; i++) {
    f();
    g();
  }
  const fr: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] };
  const gr: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] };
  for (let i = 0; i < reps; i++) {
    for (const [fn, acc] of [[f, fr], [g, gr]] as const) {
      const t0 = performance.now(), c0 = process.cpuUsage();
      fn();
      const c = process.cpuUsage(c0);
      acc.wall.push(performance.now() - t0);
      acc.cpu.push((c.user + c.system) / 1000);
    }
  }
  return [fr, gr].map((x) => ({ wall: median(x.wall), cpu: median(x.cpu) }));
}

let tfReady: Promise<void> | undefined;
async function useTfjsWasm(): Promise<void> {
  tfReady ??= (async () => {
    // The .wasm files sit beside the package's entry point (dist/), wherever this is run from.
    setWasmPaths(dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm")) + "/");
    await tf.setBackend("wasm");
    await tf.ready();
  })();
  return tfReady;
}

/**
 * n x n x n matmul: RepOps (Float32Array in, Float32Array out, copies included) and tfjs-wasm
 * (tensors resident, result downloaded with dataSync) at each n; ratio of times at 512.
 */
export async function benchMatmul(sizes: number[] = [256, 512, 1024], quick = false): Promise<BenchLine[]> {
  await useTfjsWasm();
  const out: BenchLine[] = [];
  const times = new Map<number, { repops: number; wasm: number; repopsCpu: number; wasmCpu: number }>();
  for (const n of sizes) {
    const reps = quick ? 3 : n >= 1024 ? 5 : 11;
    const a = fill(n * n, 1), b = fill(n * n, 2), c = new Float32Array(n * n);
    const ta = tf.tensor2d(a, [n, n]), tb = tf.tensor2d(b, [n, n]);
    const [r, w] = timeInterleaved(
      () => K.matmul(a, b, { m: n, k: n, n, out: c }),
      () => {
        const tc = tf.matMul(ta, tb);
        tc.dataSync();
        tc.dispose();
      },
      quick ? 1 : 3, reps,
    );
    ta.dispose();
    tb.dispose();
    times.set(n, { repops: r.wall, wasm: w.wall, repopsCpu: r.cpu, wasmCpu: w.cpu });
    const gflops = (ms: number) => Number(((2 * n ** 3) / (ms * 1e6)).toFixed(2));
    const ratio = (x: number, y: number) => Number((x / y).toFixed(3));
    out.push({ bench: "ml", metric: `matmul_gflops_repops_${n}`, value: gflops(r.wall), unit: "GFLOP/s" });
    out.push({ bench: "ml", metric: `matmul_gflops_tfjs-wasm_${n}`, value: gflops(w.wall), unit: "GFLOP/s" });
    out.push({ bench: "ml", metric: `matmul_gflops_cputime_repops_${n}`, value: gflops(r.cpu), unit: "GFLOP/s" });
    out.push({ bench: "ml", metric: `matmul_gflops_cputime_tfjs-wasm_${n}`, value: gflops(w.cpu), unit: "GFLOP/s" });
    out.push({ bench: "ml", metric: `repops_over_wasm_matmul_time_${n}`, value: ratio(r.wall, w.wall), unit: "ratio" });
  }
  const t512 = times.get(512);
  if (t512) {
    // Copy overhead of the Float32Array API: the same kernel on operands already resident in wasm memory.
    const n = 512;
    const w = beginKernelCall();
    const pa = w.put(fill(n * n, 1)), pb = w.put(fill(n * n, 2)), pc = w.alloc(n * n), work = w.alloc(w.exports.matmulWorkFloats(n, n, n));
    const resident = timeBoth(() => w.exports.matmul(pa, pb, pc, n, n, n, 1, 0, 0, 0, 0, work), quick ? 1 : 3, quick ? 3 : 11);
    out.push({ bench: "ml", metric: "matmul_copy_overhead_512", value: Number((t512.repopsCpu / resident.cpu - 1).toFixed(3)), unit: "fraction" });
    out.push({ bench: "ml", metric: "repops_over_wasm_matmul_time", value: Number((t512.repops / t512.wasm).toFixed(3)), unit: "ratio" });
    out.push({ bench: "ml", metric: "repops_over_wasm_matmul_cputime", value: Number((t512.repopsCpu / t512.wasmCpu).toFixed(3)), unit: "ratio" });
  }
  return out;
}

/** Elementwise kernels on 1M floats (CPU ms): wasm with copies in and out versus the scalar TS reference. */
export function benchElementwise(quick = false): BenchLine[] {
  const n = 1 << 20;
  const x = fill(n, 3), y = fill(n, 4);
  const reps = quick ? 3 : 9;
  const cases: [string, () => unknown, () => unknown][] = [
    ["add", () => K.add(x, y), () => R.binaryRef("add", x, y)],
    ["gelu", () => K.gelu(x), () => R.geluRef(x)],
    ["softmax_rows_1024", () => K.softmaxRows(x, { rows: 1024, cols: 1024 }), () => R.softmaxRowsRef(x, 1024, 1024)],
    ["layernorm_1024", () => K.layerNorm(x, y.subarray(0, 1024), y.subarray(1024, 2048), { rows: 1024, d: 1024, eps: 1e-5 }),
      () => R.layerNormRef(x, y.subarray(0, 1024), y.subarray(1024, 2048), { rows: 1024, d: 1024, eps: 1e-5 })],
  ];
  const out: BenchLine[] = [];
  for (const [name, wasm, ref] of cases) {
    const [w, r] = timeInterleaved(wasm, ref, 2, reps);
    out.push({ bench: "ml", metric: `repops_${name}_1M_cpu_ms_wasm`, value: Number(w.cpu.toFixed(3)), unit: "ms" });
    out.push({ bench: "ml", metric: `repops_${name}_1M_cpu_ms_ts_reference`, value: Number(r.cpu.toFixed(3)), unit: "ms" });
  }
  const copy = new Float32Array(n);
  out.push({ bench: "ml", metric: "float32_copy_1M_ms", value: Number(timeMs(() => copy.set(x), 2, reps).toFixed(3)), unit: "ms" });
  return out;
}

/**
 * Replica-batched small matmuls (the shape of many proxy models trained at once): GFLOP/s with
 * Float32Array operands (copied in and out, new result array) and with resident WasmTensors.
 */
export function benchBatchedMatmul(quick = false): BenchLine[] {
  const out: BenchLine[] = [];
  for (const [batch, m, k, n] of [[1000, 32, 64, 64], [4000, 8, 16, 16], [64, 128, 128, 128]]) {
    const a = fill(batch * m * k, 5), b = fill(batch * k * n, 6);
    const flops = 2 * batch * m * k * n;
    const copied = timeBoth(() => K.matmul(a, b, { m, k, n, batch }), quick ? 1 : 3, quick ? 3 : 9);
    const A = WasmTensor.from(a), B = WasmTensor.from(b), C = WasmTensor.zeros(batch * m * n);
    const resident = timeBoth(() => K.matmul(A, B, { m, k, n, batch, out: C }), quick ? 1 : 3, quick ? 3 : 9);
    for (const t of [A, B, C]) t.free();
    const name = `${batch}x${m}x${k}x${n}`;
    const g = (ms: number) => Number((flops / (ms * 1e6)).toFixed(2));
    out.push({ bench: "ml", metric: `matmul_gflops_cputime_repops_batched_${name}`, value: g(copied.cpu), unit: "GFLOP/s" });
    out.push({ bench: "ml", metric: `matmul_gflops_cputime_repops_resident_batched_${name}`, value: g(resident.cpu), unit: "GFLOP/s" });
  }
  return out;
}

if (import.meta.main) {
  const quick = process.argv.includes("--quick");
  for (const line of await benchMatmul(undefined, quick)) console.log(JSON.stringify(line));
  for (const line of benchBatchedMatmul(quick)) console.log(JSON.stringify(line));
  for (const line of benchElementwise(quick)) console.log(JSON.stringify(line));
}
