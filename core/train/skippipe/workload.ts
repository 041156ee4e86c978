// The `skippipe` workload (REFERENCE §6): allocate the world's nodes to stages with the GA, then
// run DT-FM (full lanes), DT-FM with random skips, SkipPipe and collision-aware SkipPipe one
// after another on the event kernel, each iteration followed by every stage's data-parallel
// all-reduce. Between iterations the paths are re-planned over the nodes that are up (churn):
// a node that comes back up rejoins its stage at the next re-plan.
import { Process, Timeout } from "../../des/index.ts";
import type { ProcessGenerator, SimEvent } from "../../des/index.ts";
import { ConfigError } from "../../errors.ts";
import type { RunContext } from "../../run/context.ts";
import type { Workload, WorkloadRun } from "../../run/workload.ts";
import { TrafficLedger, ringAllReduce } from "../collectives.ts";
import { type Allocation, allocateStages } from "./allocation.ts";
import { type CostNode, activationBytes, blockParameters, buildCosts, stageForwardFlops, stageMemoryBytes } from "./costModel.ts";
import { PipelineExecutor, type MicrobatchRoute } from "./pipelineExecutor.ts";
import type { PathProblem } from "./pathProblem.ts";
import { schedulePaths } from "./pathScheduler.ts";
import { getBackend } from "../../ml/backend.ts";
import type { Backend } from "../../ml/backend.ts";
import { TrainingComparison } from "./trainingComparison.ts";
import { type Scheme, type SkippipeParams, skippipeSchema } from "./params.ts";

/** The reference scheduler's own simulation of the 20-node setting (schedule.json@HEAD, REFERENCE §6). */
export const PAPER_ITERATION_SECONDS: Record<Scheme, number> = { dtfm: 79.94, dtfmSkip: 48.92, skippipe: 35.43, skippipeCa: 33.31 };

interface SchemeStats {
  iterations: number;
  seconds: number[];
  syncSeconds: number[];
  planned: number[];
  microbatches: number;
  completed: number;
  lost: number;
  rerouted: number;
  collisions: number;
  collisionWaitSeconds: number;
  skipped: number;
  replans: number;
  /** Nodes that came (back) up since the previous plan and were given their stage again. */
  joins: number;
  method: string;
}

/** What the workload uses of a run (the training tests' context provides it too). */
export interface SkippipeContext extends Pick<RunContext, "env" | "streams" | "world"> {
  trace: Pick<RunContext["trace"], "emit">;
  metrics: Pick<RunContext["metrics"], "record">;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export function checkWorld(ctx: SkippipeContext, p: SkippipeParams): void {
  const N = ctx.world.size;
  const total = p.stages.reduce((a, b) => a + b, 0);
  if (N < p.stages.length) throw new ConfigError(`workload.stages: ${p.stages.length} stages need at least ${p.stages.length} nodes, the world has ${N}`);
  if (total !== N) throw new ConfigError(`workload.stages: sizes [${p.stages.join(", ")}] sum to ${total}, but the world has ${N} nodes`);
  const L = p.virtual.layers / p.stages.length;
  const need = stageMemoryBytes(p.virtual, L, p.memory * p.group);
  for (const n of ctx.world.nodes) {
    if (!ctx.world.fitsInMemory(n.id, need)) {
      throw new ConfigError(`workload.virtual: node ${n.id} (${n.hardware.name}, ${(n.hardware.memoryBytes / 1073741824).toFixed(0)} GiB) cannot hold a stage of ${L} layers of width ${p.virtual.width} with ${p.memory * p.group} microbatches of activations (${(need / 1073741824).toFixed(1)} GiB)`);
    }
  }
}

export function startSkippipe(ctx: SkippipeContext, p: SkippipeParams, backend: Backend | null = null): { done: SimEvent<unknown>; summary: () => Record<string, unknown>; allocation: Allocation } {
  checkWorld(ctx, p);
  if (p.training !== null && backend === null) throw new ConfigError("workload.training: needs the run's ML backend");
  const training = p.training === null || backend === null ? null : new TrainingComparison(p, p.training, backend, ctx.streams);
  const { world, env } = ctx;
  const S = p.stages.length;
  const L = p.virtual.layers / S;
  const flops = stageForwardFlops(p.virtual, L);
  const bytes = activationBytes(p.virtual);
  const nodes: CostNode[] = world.nodes.map((n) => ({
    id: n.id,
    flops: (n.hardware.peakFlops * n.hardware.efficiency) / n.slowdown,
    regionIndex: n.regionIndex,
    upBytes: n.upBytesPerUs * 1e6,
    downBytes: n.downBytesPerUs * 1e6,
    accessLatency: n.link.accessLatencyUs / 1e6,
    memoryBytes: n.hardware.memoryBytes,
  }));
  const costs = buildCosts(nodes, flops, bytes, p.overhead, (a, b) => world.network.baseLatencyUs(a.id, b.id) / 1e6);
  const allocation = allocateStages(costs, { sizes: p.stages, ...p.allocation }, ctx.streams.stream("skippipe", "allocation"));
  ctx.trace.emit("skippipe.allocation", { stages: allocation.stages.map((s) => s.map(String)), fitness: allocation.fitness, dpCost: allocation.dpCost, ppCost: allocation.ppCost });
  const executor = new PipelineExecutor(world, {
    forwardUs: (v) => world.computeTimeUs(v, flops),
    bytes,
    overheadUs: Math.round(p.overhead * 1e6),
    slots: p.memory * p.group,
    stageNodes: allocation.stages,
  });
  const stageBytes = blockParameters(p.virtual.width) * L * p.virtual.bytesPerValue;
  const stats = new Map<Scheme, SchemeStats>();
  const M = p.microbatchesPerNode;

  /** Routes of one iteration of a scheme over the nodes up now; null when no feasible plan exists. */
  const routesFor = (scheme: Scheme, it: number, st: SchemeStats): MicrobatchRoute[] | null => {
    const up = allocation.stages.map((s) => s.filter((v) => world.isAvailable(v)));
    if (up[0].length === 0) return null;
    if (scheme === "dtfm" || scheme === "dtfmSkip") {
      const lanes = allocation.lanes.filter((l) => l.every((v) => world.isAvailable(v)));
      if (lanes.length === 0) return null;
      const total = M * p.stages[0];
      const rng = ctx.streams.stream("skippipe", "dtfm-skip", it);
      const out: MicrobatchRoute[] = [];
      for (let m = 0; m < total; m++) {
        const lane = lanes[m % lanes.length];
        let stages = Array.from({ length: S - 1 }, (_, i) => i + 1);
        if (scheme === "dtfmSkip") {
          for (let i = stages.length - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            [stages[i], stages[j]] = [stages[j], stages[i]];
          }
          stages = stages.slice(0, p.pathLength - 1).sort((a, b) => a - b);
        }
        out.push({ origin: lane[0], route: stages.map((s) => lane[s]), stages, release: null });
      }
      st.planned.push(NaN);
      return out;
    }
    const base: PathProblem = { costs, stages: up, pathLength: p.pathLength, maxSwaps: p.maxSwaps, memory: p.memory, agentsPerOrigin: M / p.group, group: p.group, balanceSlack: p.balanceSlack };
    for (let apo = base.agentsPerOrigin; apo >= 1; apo--) {
      const prob = { ...base, agentsPerOrigin: apo };
      const s = schedulePaths(prob, { collisionAware: scheme === "skippipeCa", ...p.scheduler }, ctx.streams.stream("skippipe", "paths", scheme, it));
      if (!s.feasible) continue;
      st.method = s.method;
      st.planned.push(s.makespan);
      const out: MicrobatchRoute[] = [];
      for (const a of s.plans) {
        for (let j = 0; j < p.group; j++) out.push({ origin: a.origin, route: a.route, stages: a.stages, release: scheme === "skippipeCa" ? [a.windows[0].start + (j * a.windows[0].end - j * a.windows[0].start) / p.group] : null });
      }
      return out;
    }
    return null;
  };

  function* syncStages(): ProcessGenerator<number> {
    const t0 = env.now;
    const ledger = new TrafficLedger();
    const procs = allocation.stages.map((s) => new Process(env, ringAllReduce(env, world.network, s.filter((v) => world.isAvailable(v)), stageBytes, ledger)));
    yield env.allOf(procs);
    return env.now - t0;
  }

  function* main(): ProcessGenerator<void> {
    for (const scheme of p.schemes) {
      const st: SchemeStats = { iterations: 0, seconds: [], syncSeconds: [], planned: [], microbatches: 0, completed: 0, lost: 0, rerouted: 0, collisions: 0, collisionWaitSeconds: 0, skipped: 0, replans: 0, joins: 0, method: scheme.startsWith("dtfm") ? "lanes" : "" };
      stats.set(scheme, st);
      let lastUp = "";
      let routes: MicrobatchRoute[] | null = null;
      for (let it = 0; it < p.iterations; it++) {
        const upKey = world.nodes.map((n) => (n.available ? 1 : 0)).join("");
        if (routes === null || upKey !== lastUp || scheme === "dtfmSkip") {
          if (routes !== null && upKey !== lastUp) st.replans++;
          if (lastUp !== "") for (let v = 0; v < upKey.length; v++) if (upKey[v] === "1" && lastUp[v] === "0") st.joins++;
          routes = routesFor(scheme, it, st);
          lastUp = upKey;
        }
        if (routes === null) {
          st.skipped++;
          yield new Timeout(env, 60_000_000);
          continue;
        }
        const ev = executor.run(routes);
        const timeout = new Timeout(env, Math.round(p.iterationTimeout * 1e6));
        yield env.anyOf([ev, timeout]);
        if (!ev.triggered) {
          executor.abandon();
          yield ev;
        }
        const r = ev.value;
        const sync = (yield new Process(env, syncStages())) as number;
        st.iterations++;
        st.seconds.push(r.seconds);
        st.syncSeconds.push(sync / 1e6);
        st.microbatches += routes.length;
        st.completed += r.completed;
        st.lost += r.lost;
        st.rerouted += r.rerouted;
        st.collisions += r.collisions;
        st.collisionWaitSeconds += r.collisionWaitSeconds;
        ctx.trace.emit("skippipe.iteration", { scheme, iteration: it, seconds: r.seconds, syncSeconds: sync / 1e6, completed: r.completed, lost: r.lost, rerouted: r.rerouted, collisions: r.collisions });
        ctx.metrics.record(`skippipe.${scheme}.iterationSeconds`, r.seconds);
        if (training !== null && scheme === p.training!.scheme) training.step(r, it);
      }
    }
  }

  const done = new Process(env, main());
  const summary = () => {
    const out: Record<string, unknown> = {
      allocation: { stages: allocation.stages, lanes: allocation.lanes, fitness: allocation.fitness, initialFitness: allocation.initialFitness, dpCost: allocation.dpCost, ppCost: allocation.ppCost },
      activationBytes: bytes,
      forwardFlopsPerStage: flops,
      paperIterationSeconds: PAPER_ITERATION_SECONDS,
    };
    for (const [scheme, st] of stats) {
      const planned = st.planned.filter((x) => Number.isFinite(x));
      out[scheme] = {
        iterations: st.iterations,
        iterationSeconds: mean(st.seconds),
        iterationSecondsList: st.seconds,
        syncSeconds: mean(st.syncSeconds),
        plannedSeconds: mean(planned),
        microbatchesRun: st.microbatches,
        microbatchesCompleted: st.completed,
        microbatchesLost: st.lost,
        rerouted: st.rerouted,
        collisions: st.collisions,
        collisionWaitSeconds: st.collisionWaitSeconds,
        skippedIterations: st.skipped,
        replans: st.replans,
        joins: st.joins,
        method: st.method,
      };
    }
    if (training !== null) out.training = training.summary();
    const get = (s: Scheme) => (out[s] as { iterationSeconds: number | null } | undefined)?.iterationSeconds ?? null;
    const d = get("dtfm");
    const ca = get("skippipeCa");
    if (d !== null && ca !== null) out.skippipeCaVsDtfm = ca / d - 1;
    return out;
  };
  return { done, summary, allocation };
}

export const skippipeWorkload: Workload<SkippipeParams> = {
  kind: "skippipe",
  async start(ctx: RunContext, params: SkippipeParams): Promise<WorkloadRun> {
    const run = startSkippipe(ctx, params, params.training === null ? null : await getBackend(ctx.backend));
    return { done: run.done, summary: () => ({ kind: "skippipe", ...run.summary() }) };
  },
};

/** The registry entry ({schema, workload}, the shape of sim/scenario/workloads/entry.ts). */
export const skippipeEntry = { schema: skippipeSchema, workload: skippipeWorkload };
