// Kernel and world benchmarks: JSON lines {"bench":"des","metric":..,"value":..,"unit":..}.
// Each speed is also given as a ratio against a reference measured in the same run (a bare
// array heap, a bare generator loop, simulated time), so machines of different speed compare.
// Kernel speeds (queue, switches) are per second of this process's CPU time.
//   bun bench/des.ts [--quick] [--kernel]   (--kernel: queue and process switches only)
//   bun bench/des.ts --breakdown   where the queue's time per event goes (heap, dispatch, Timeout)
//   bun bench/des.ts --scale [--scale-max=N]   scenarios/scale-1m.yaml at 10k / 100k / 1M nodes,
//     each in a child process: wall, CPU, events/s, bytes per node, and the fitted exponent of
//     cost against nodes (1 = linear). The market's load scales with the nodes (see scalePoint).
//     The file's checks are evaluated at every size (scale_checks_passed, failures named).
import { Environment, HOUR, MINUTE, NORMAL, RngStreams, SimEvent, Timeout } from "../core/des/index.ts";
import { OK } from "../core/des/event.ts";
import { World } from "../core/world/index.ts";
import { loadScenario } from "../sim/scenario/load.ts";
import { runScenario } from "../sim/run/runScenario.ts";
import { checkSummary } from "../sim/run/checkSummary.ts";

const quick = process.argv.includes("--quick");
const argValue = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ bench: "des", metric, value: Number(value.toPrecision(4)), unit, ...extra }));

/** This process's CPU time in ms: on a shared machine steadier than wall time for the kernel speeds. */
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

function best(runs: number, fn: () => number): number {
  let b = 0;
  for (let i = 0; i < runs; i++) b = Math.max(b, fn());
  return b;
}

/**
 * Delays of the hold model: `narrow`, uniform 1..1000 us (the classic); `wide`, log-uniform from
 * 1 us to an hour (a run's mix of message latencies, compute steps and churn periods).
 */
type Pattern = "narrow" | "wide";
function delays(pattern: Pattern): () => number {
  let x = 12345;
  const lcg = () => (x = (x * 1103515245 + 12345) & 0x7fffffff);
  if (pattern === "narrow") return () => 1 + (lcg() % 1000);
  return () => {
    const e = lcg() % 31;
    return 1 + (lcg() % Math.max(1, Math.floor(3.6e9 / 2 ** e)));
  };
}

/** Hold model: K pending timeouts; each one processed schedules the next (a classic queue benchmark). */
function queueEventsPerSecond(total: number, pending: number, pattern: Pattern = "narrow"): number {
  const env = new Environment();
  let left = total;
  const delay = delays(pattern);
  const cb = (_: SimEvent<any>) => {
    if (left-- > 0) new Timeout(env, delay()).addCallback(cb);
  };
  for (let i = 0; i < pending; i++) new Timeout(env, pattern === "narrow" ? i % 1000 : delay()).addCallback(cb);
  const t0 = cpuMs();
  env.run();
  return env.eventsProcessed / ((cpuMs() - t0) / 1000);
}

/**
 * The same hold pattern on a bare binary heap of numbers, time * 2^20 + seq (narrow) or
 * time * 2^10 + seq mod 2^10 (wide: times reach ~10^10 us; ties are rare there): the floor.
 */
function bareHeapOpsPerSecond(total: number, pending: number, pattern: Pattern = "narrow"): number {
  const SHIFT = pattern === "narrow" ? 1048576 : 1024;
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
  const delay = delays(pattern);
  for (let i = 0; i < pending; i++) push((pattern === "narrow" ? i % 1000 : delay()) * SHIFT + (seq++ % SHIFT));
  const t0 = cpuMs();
  let processed = 0;
  let left = total;
  while (h.length > 0) {
    const v = pop();
    processed++;
    if (left-- > 0) push((Math.floor(v / SHIFT) + delay()) * SHIFT + (seq++ % SHIFT));
  }
  return processed / ((cpuMs() - t0) / 1000);
}

/**
 * The hold model's heap alone: the kernel's own enqueue and pop (internals), events recycled, no
 * callback and no allocation. With `dispatch`, the recycled events go through env.run() instead
 * (pop, callback, addCallback, enqueue): everything but constructing a Timeout.
 */
function kernelHeapPerSecond(total: number, pending: number, dispatch: boolean): number {
  const env = new Environment();
  const k = env as unknown as { enqueue(e: SimEvent<any>, p: number, t: number): void; take(limit: number): SimEvent<any>; last: number };
  let x = 12345;
  if (dispatch) {
    let left = total;
    const cb = (e: SimEvent<any>) => {
      if (left-- > 0) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        e._key = -1;
        e._flags = OK;
        e.addCallback(cb);
        k.enqueue(e, NORMAL, env.now + 1 + (x % 1000));
      }
    };
    for (let i = 0; i < pending; i++) {
      const e = new SimEvent(env);
      e.addCallback(cb);
      k.enqueue(e, NORMAL, i % 1000);
    }
    const t0 = cpuMs();
    env.run();
    return env.eventsProcessed / ((cpuMs() - t0) / 1000);
  }
  for (let i = 0; i < pending; i++) k.enqueue(new SimEvent(env), NORMAL, i % 1000);
  let spare = new SimEvent(env);
  const t0 = cpuMs();
  for (let j = 0; j < total; j++) {
    const e = k.take(Infinity);
    const now = k.last;
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    spare._key = -1;
    k.enqueue(spare, NORMAL, now + 1 + (x % 1000));
    spare = e;
  }
  return total / ((cpuMs() - t0) / 1000);
}

/** P processes each yielding M timeouts: one switch per resume. */
function processSwitchesPerSecond(procs: number, steps: number): number {
  const env = new Environment();
  function* body(): Generator<SimEvent<any>, void, unknown> {
    for (let i = 0; i < steps; i++) yield env.timeout(1);
  }
  for (let p = 0; p < procs; p++) env.process(body());
  const t0 = cpuMs();
  env.run();
  return (procs * steps) / ((cpuMs() - t0) / 1000);
}

/** The floor for switching: resuming bare generators in a loop, no kernel. */
function bareGeneratorResumesPerSecond(procs: number, steps: number): number {
  function* body(): Generator<number, void, unknown> {
    for (let i = 0; i < steps; i++) yield i;
  }
  const gens = Array.from({ length: procs }, () => body());
  const t0 = cpuMs();
  let n = 0;
  for (let s = 0; s < steps; s++) for (const g of gens) if (!g.next().done) n++;
  return n / ((cpuMs() - t0) / 1000);
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

const SCALE_FILE = new URL("../scenarios/scale-1m.yaml", import.meta.url).pathname;

/**
 * One point of the scale sweep, in this (child) process: scale-1m.yaml with its two groups at 10%
 * / 90% of `nodes`, and the market's submitters, solvers, verifiers and job rate in proportion
 * (the file's values at 1M), so the protocol load per node is the same at every size. Prints one
 * JSON line: wall and CPU seconds, events, peak live heap over the start (sampled after a full GC
 * every 5 simulated minutes) and peak RSS.
 */
async function scalePoint(nodes: number): Promise<void> {
  const f = nodes / 1_000_000;
  const market = loadScenario(SCALE_FILE).workload.market as Record<string, number>;
  const sets = [
    `nodes.0.count=${Math.round(0.1 * nodes)}`,
    `nodes.1.count=${nodes - Math.round(0.1 * nodes)}`,
    `workload.market.jobs=${Math.max(1, Math.round(market.jobs * f))}`,
    `workload.market.meanInterarrivalS=${market.meanInterarrivalS / f}`,
    ...(["submitters", "solvers", "verifiers"] as const).map((k) => `workload.market.${k}=${Math.max(1, Math.round(market[k] * f))}`),
  ];
  const scenario = loadScenario(SCALE_FILE, { sets });
  const base = heap();
  const rss0 = process.memoryUsage().rss;
  let peak = base;
  let nextSample = 5 * MINUTE;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await runScenario(scenario, {
    quiet: true,
    onSlice: (now) => {
      // Live heap after a full GC every 5 simulated minutes (12 samples in the hour).
      if (now >= nextSample) {
        peak = Math.max(peak, heap());
        nextSample = now + 5 * MINUTE;
      }
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  peak = Math.max(peak, heap());
  const world = r.summary.world as Record<string, number>;
  // The scenario's own checks, evaluated on this size's run (at 1M: the file as written).
  const checks = checkSummary(scenario.checks, r.summary as Record<string, unknown>);
  console.log(JSON.stringify({
    checks_passed: checks.filter((c) => c.holds === true).length,
    checks_failed: checks.filter((c) => c.holds !== true).map((c) => `${c.check} (${c.detail})`),
    nodes,
    wall_s: wall,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    events: r.summary.eventsProcessed,
    simulated_s: (r.summary.simulatedUs as number) / 1e6,
    heap_delta_bytes: peak - base,
    rss_start_bytes: rss0,
    // maxRSS is in kilobytes (Node's process.resourceUsage; Bun follows it).
    rss_peak_bytes: process.resourceUsage().maxRSS * 1024,
    availability: world.availability,
  }));
}

/** Least-squares slope of log(y) against log(x): the exponent of y ~ x^k. */
function logLogSlope(xs: number[], ys: number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}

/** The sweep: one child process per size (a clean heap and RSS each), then the fitted exponents. */
function scaleSweep(): void {
  const max = Number(argValue("scale-max") ?? 1_000_000);
  const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= max);
  const points: Record<string, number>[] = [];
  for (const nodes of sizes) {
    const r = Bun.spawnSync([process.execPath, new URL(import.meta.url).pathname, `--scale-point=${nodes}`], { stdout: "pipe", stderr: "inherit" });
    if (r.exitCode !== 0) throw new Error(`scale point ${nodes} failed (exit ${r.exitCode})`);
    const p = JSON.parse(r.stdout.toString().trim().split("\n").at(-1)!);
    points.push(p);
    const tag = { nodes, simulated_s: p.simulated_s, events: p.events };
    emit("scale_wall_s", p.wall_s, "s", tag);
    emit("scale_cpu_s", p.cpu_s, "s", { nodes });
    emit("scale_events_per_s", p.events / p.wall_s, "events/s", { nodes });
    emit("scale_events_per_cpu_s", p.events / p.cpu_s, "events/s", { nodes });
    emit("scale_bytes_per_node", p.heap_delta_bytes / nodes, "bytes", { nodes, peak_heap_delta_bytes: p.heap_delta_bytes });
    emit("scale_peak_rss_bytes", p.rss_peak_bytes, "bytes", { nodes, rss_per_node_bytes: Math.round((p.rss_peak_bytes - p.rss_start_bytes) / nodes) });
    emit("scale_checks_passed", p.checks_passed, "checks", { nodes, failed: p.checks_failed });
  }
  if (points.length >= 2) {
    const ns = points.map((p) => p.nodes);
    emit("scale_exponent_cpu", logLogSlope(ns, points.map((p) => p.cpu_s)), "exponent", { sizes: ns, note: "cpu_s ~ nodes^k" });
    emit("scale_exponent_wall", logLogSlope(ns, points.map((p) => p.wall_s)), "exponent", { sizes: ns });
    emit("scale_exponent_events", logLogSlope(ns, points.map((p) => p.events)), "exponent", { sizes: ns });
    emit("scale_exponent_heap", logLogSlope(ns, points.map((p) => p.heap_delta_bytes)), "exponent", { sizes: ns });
  }
}

const point = argValue("scale-point");
if (point !== undefined) {
  await scalePoint(Number(point));
  process.exit(0);
}
if (process.argv.includes("--scale")) {
  scaleSweep();
  process.exit(0);
}

if (process.argv.includes("--breakdown")) {
  // ns per event, best of 5 interleaved rounds each; the differences are the parts' costs.
  const n = quick ? 300_000 : 2_000_000;
  const b = { bare: 0, heap: 0, dispatch: 0, full: 0 };
  for (let r = 0; r < 5; r++) {
    b.bare = Math.max(b.bare, bareHeapOpsPerSecond(n, 1000));
    b.heap = Math.max(b.heap, kernelHeapPerSecond(n, 1000, false));
    b.dispatch = Math.max(b.dispatch, kernelHeapPerSecond(n, 1000, true));
    b.full = Math.max(b.full, queueEventsPerSecond(n, 1000));
  }
  const ns = (perS: number) => 1e9 / perS;
  emit("breakdown_bare_heap_ns", ns(b.bare), "ns/event", { pending: 1000 });
  emit("breakdown_kernel_heap_ns", ns(b.heap), "ns/event", { vs_bare: Number((b.heap / b.bare).toPrecision(3)) });
  emit("breakdown_dispatch_ns", ns(b.dispatch) - ns(b.heap), "ns/event", { note: "pop loop, callback, addCallback" });
  emit("breakdown_timeout_ns", ns(b.full) - ns(b.dispatch), "ns/event", { note: "constructing a Timeout (and its GC)" });
  emit("breakdown_full_ns", ns(b.full), "ns/event", { vs_bare: Number((b.full / b.bare).toPrecision(3)) });
  process.exit(0);
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
// Measured after the switches: its 100,000-event queues leave a larger heap behind.
// Wide delays (1 us to 1 h, log-uniform) and 100,000 pending: a large run's queue.
let wide = 0;
let wideBare = 0;
for (let r = 0; r < 3; r++) {
  wide = Math.max(wide, queueEventsPerSecond(N, 100_000, "wide"));
  wideBare = Math.max(wideBare, bareHeapOpsPerSecond(N, 100_000, "wide"));
}
emit("queue_wide_events_per_s", wide, "events/s", { pending: 100_000, delays: "log-uniform 1 us to 1 h" });
emit("queue_wide_vs_bare_heap", wide / wideBare, "ratio", { bare_heap_ops_per_s: Number(wideBare.toPrecision(4)) });
if (!process.argv.includes("--kernel")) {
  await scale10k();
  world1m();
}
