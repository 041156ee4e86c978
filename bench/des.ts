// Kernel and world benchmarks: JSON lines {"bench":"des","metric":..,"value":..,"unit":..}.
// Each speed is also given as a ratio against a reference measured in the same run (a bare
// array heap, a bare generator loop, simulated time), so machines of different speed compare.
//   bun bench/des.ts [--quick]
import { Environment, HOUR, MINUTE, RngStreams, Timeout, type SimEvent } from "../core/des/index.ts";
import { World } from "../core/world/index.ts";
import { loadScenario } from "../sim/scenario/load.ts";
import { runScenario } from "../sim/run/runScenario.ts";

const quick = process.argv.includes("--quick");
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ bench: "des", metric, value: Number(value.toPrecision(4)), unit, ...extra }));

function best(runs: number, fn: () => number): number {
  let b = 0;
  for (let i = 0; i < runs; i++) b = Math.max(b, fn());
  return b;
}

/** Hold model: K pending timeouts; each one processed schedules the next (a classic queue benchmark). */
function queueEventsPerSecond(total: number, pending: number): number {
  const env = new Environment();
  let left = total;
  let x = 12345;
  const cb = (_: SimEvent<any>) => {
    if (left-- > 0) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      new Timeout(env, 1 + (x % 1000)).addCallback(cb);
    }
  };
  for (let i = 0; i < pending; i++) new Timeout(env, i % 1000).addCallback(cb);
  const t0 = performance.now();
  env.run();
  return env.eventsProcessed / ((performance.now() - t0) / 1000);
}

/** The same hold pattern on a bare binary heap of numbers (time * 2^20 + seq): the floor. */
function bareHeapOpsPerSecond(total: number, pending: number): number {
  const h: number[] = [];
  const push = (v: number) => {
    let i = h.length;
    h.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p] <= v) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = v;
  };
  const pop = () => {
    const top = h[0];
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && h[l + 1] < h[l] ? l + 1 : l;
        if (h[c] >= last) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  };
  let seq = 0;
  let x = 12345;
  for (let i = 0; i < pending; i++) push((i % 1000) * 1048576 + (seq++ % 1048576));
  const t0 = performance.now();
  let processed = 0;
  let left = total;
  while (h.length > 0) {
    const v = pop();
    processed++;
    if (left-- > 0) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      push((Math.floor(v / 1048576) + 1 + (x % 1000)) * 1048576 + (seq++ % 1048576));
    }
  }
  return processed / ((performance.now() - t0) / 1000);
}

/** P processes each yielding M timeouts: one switch per resume. */
function processSwitchesPerSecond(procs: number, steps: number): number {
  const env = new Environment();
  function* body(): Generator<SimEvent<any>, void, unknown> {
    for (let i = 0; i < steps; i++) yield env.timeout(1);
  }
  for (let p = 0; p < procs; p++) env.process(body());
  const t0 = performance.now();
  env.run();
  return (procs * steps) / ((performance.now() - t0) / 1000);
}

/** The floor for switching: resuming bare generators in a loop, no kernel. */
function bareGeneratorResumesPerSecond(procs: number, steps: number): number {
  function* body(): Generator<number, void, unknown> {
    for (let i = 0; i < steps; i++) yield i;
  }
  const gens = Array.from({ length: procs }, () => body());
  const t0 = performance.now();
  let n = 0;
  for (let s = 0; s < steps; s++) for (const g of gens) if (!g.next().done) n++;
  return n / ((performance.now() - t0) / 1000);
}

const heap = () => {
  Bun.gc(true);
  return process.memoryUsage().heapUsed;
};

async function scale10k(): Promise<void> {
  const file = new URL("../scenarios/scale-10k.yaml", import.meta.url).pathname;
  const scenario = loadScenario(file, { sets: quick ? ["duration=2h"] : [] });
  const nodes = scenario.nodes.reduce((a, g) => a + g.count, 0);
  const base = heap();
  let peak = base;
  let slices = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await runScenario(scenario, {
    quiet: true,
    onSlice: () => {
      // Live heap (after a full GC) every 20th slice: the peak of what the run holds.
      if (slices++ % 20 === 10) peak = Math.max(peak, heap());
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const simulated = (r.summary.simulatedUs as number) / 1e6;
  emit("scale10k_wall_s", wall, "s", { nodes, simulated_s: simulated, events: r.summary.eventsProcessed });
  // CPU time (this process) is steadier than wall time on a shared machine; it includes the GC samples.
  emit("scale10k_cpu_s", (cpu.user + cpu.system) / 1e6, "s");
  emit("scale10k_speedup", simulated / wall, "simulated s per wall s");
  emit("scale10k_events_per_s", (r.summary.eventsProcessed as number) / wall, "events/s");
  emit("scale10k_bytes_per_node", (peak - base) / nodes, "bytes", { peak_heap_delta_bytes: peak - base });
}

/** A million-node world with churn, protocol-only: build time, memory, one simulated hour. */
function world1m(): void {
  const nodes = quick ? 100_000 : 1_000_000;
  const base = heap();
  const t0 = performance.now();
  const env = new Environment();
  const world = new World(env, new RngStreams(1), {
    groups: [{ count: nodes, hardware: { rtx3060: 0.5, m2: 0.3, cpu: 0.2 }, regions: { "us-east": 0.3, "eu-west": 0.3, "ap-south": 0.4 }, link: { cable: 0.7, dsl: 0.3 } }],
    network: { loss: 0, jitter: 0.1, partitions: [] },
    churn: { fraction: 1, up: { dist: "weibull", scale: 8 * HOUR, shape: 0.8 }, down: { dist: "lognormal", median: 30 * MINUTE, sigma: 1 } },
    computeJitter: 0,
  });
  const built = performance.now();
  env.run(HOUR);
  const ran = performance.now();
  const bytes = heap() - base;
  emit("world1m_build_s", (built - t0) / 1000, "s", { nodes });
  emit("world1m_churn_hour_s", (ran - built) / 1000, "s", { nodes, events: env.eventsProcessed, availability: Number(world.availability().overall.toFixed(4)) });
  emit("world1m_bytes_per_node", bytes / nodes, "bytes", { nodes });
}

const N = quick ? 300_000 : 2_000_000;
// Interleaved (kernel, bare, kernel, bare, ...) and best of each, so load from other processes on
// a shared machine hits both sides alike.
let queue = 0;
let bare = 0;
for (let r = 0; r < 5; r++) {
  queue = Math.max(queue, queueEventsPerSecond(N, 1000));
  bare = Math.max(bare, bareHeapOpsPerSecond(N, 1000));
}
emit("queue_events_per_s", queue, "events/s", { pending: 1000 });
emit("queue_vs_bare_heap", queue / bare, "ratio", { bare_heap_ops_per_s: Number(bare.toPrecision(4)) });
const sw = best(3, () => processSwitchesPerSecond(1000, quick ? 100 : 1000));
const gen = best(3, () => bareGeneratorResumesPerSecond(1000, quick ? 100 : 1000));
emit("process_switches_per_s", sw, "switches/s", { processes: 1000 });
emit("process_vs_bare_generator", sw / gen, "ratio", { bare_generator_resumes_per_s: Number(gen.toPrecision(4)) });
await scale10k();
world1m();
