// Shared setup of one training arm: the task and shards, the batched replicas, which node each
// worker runs on, and the two scales (DESIGN: Learning): the proxy model really trained, the
// virtual model setting compute time (FLOPs per step) and bytes on the wire.
import { ConfigError } from "../errors.ts";
import type { Backend } from "../ml/backend.ts";
import { allReduce, type AllReduceAlgorithm } from "./collectives.ts";
import { makeShards, makeTask } from "./proxyTask.ts";
import { ReplicaSet } from "./replicaSet.ts";
import type { TrainAccount } from "./trainAccount.ts";
import type { TrainContext } from "./trainContext.ts";
import type { CommonParams, VirtualModel } from "./trainParams.ts";

export interface Scales {
  proxy: { parameters: number; inputs: number; hidden: number; classes: number; trainFlopsPerExample: number };
  virtual: { parameters: number; flopsPerToken: number; tokensPerExample: number; bytesPerParameter: number; payloadBytes: number; isProxy: boolean };
  /** Training FLOPs of one worker step on the virtual model. */
  flopsPerStep: number;
  tokensPerStep: number;
}

export interface ArmSetup {
  replicas: ReplicaSet;
  /** Node id of each worker: the first nodes, by id, that can hold the model. */
  nodes: number[];
  /** Nodes left out because the virtual model does not fit in their memory. */
  outOfMemory: number;
  scales: Scales;
}

export function scalesFor(proxy: { paramCount: number; shape: { inputs: number; hidden: number; classes: number }; trainFlopsPerExample: number }, batch: number, virtual: VirtualModel | undefined): Scales {
  const parameters = virtual?.parameters ?? proxy.paramCount;
  const tokensPerExample = virtual?.tokensPerExample ?? 1;
  const flopsPerToken = virtual === undefined ? proxy.trainFlopsPerExample : virtual.flopsPerToken ?? 6 * virtual.parameters;
  const bytesPerParameter = virtual?.bytesPerParameter ?? 4;
  return {
    proxy: { parameters: proxy.paramCount, ...proxy.shape, trainFlopsPerExample: proxy.trainFlopsPerExample },
    virtual: { parameters, flopsPerToken, tokensPerExample, bytesPerParameter, payloadBytes: Math.ceil(parameters * bytesPerParameter), isProxy: virtual === undefined },
    flopsPerStep: flopsPerToken * tokensPerExample * batch,
    tokensPerStep: tokensPerExample * batch,
  };
}

/** The backend an arm's inner steps run on: the run's, unless the arm asks for builtin kernels. */
export function engineBackend(ctx: TrainContext, arm: string, engine: "backend" | "builtin"): Backend | null {
  if (engine === "builtin") return null;
  if (ctx.mlBackend === undefined) throw new ConfigError(`workload ${arm}: engine "backend" needs the run's ML backend (${ctx.backend}) loaded; none was given`);
  return ctx.mlBackend;
}

export function setupArm(ctx: TrainContext, arm: string, p: CommonParams): ArmSetup {
  // Out-of-memory is modelled (DESIGN: World): a node that cannot hold the model cannot take part.
  const need = p.virtual === undefined ? 0 : p.virtual.parameters * p.virtual.trainingBytesPerParameter;
  const fitting = ctx.world.nodes.filter((n) => ctx.world.fitsInMemory?.(n.id, need) ?? true).map((n) => n.id);
  const workers = p.workers ?? fitting.length;
  if (workers > fitting.length || workers === 0) {
    throw new ConfigError(
      `workload ${arm}: workers = ${workers} but only ${fitting.length} of the world's ${ctx.world.nodes.length} nodes can hold the model (${(need / 1073741824).toFixed(1)} GiB while training)`,
    );
  }
  const task = makeTask(p.task, ctx.streams, p.replicate === undefined ? "train" : `train:${p.replicate}`);
  const shards = makeShards(task, workers, p.nonIid === null ? null : p.nonIid.alpha, p.nonIid?.shardSize ?? 0, ctx.streams);
  const replicas = new ReplicaSet({ task, shards, workers, batch: p.batch, hidden: p.hidden, inner: p.inner, streams: ctx.streams, arm: p.replicate === undefined ? arm : `replicate:${p.replicate}`, totalSteps: p.steps, backend: engineBackend(ctx, arm, p.engine) });
  const scales = scalesFor(replicas.mlp, p.batch, p.virtual);
  return { replicas, nodes: fitting.slice(0, workers), scales, outOfMemory: ctx.world.nodes.length - fitting.length };
}

/** Workers whose node is up now, ascending. */
export function availableWorkers(ctx: TrainContext, nodes: readonly number[]): number[] {
  const out: number[] = [];
  for (let w = 0; w < nodes.length; w++) if (ctx.world.nodes[nodes[w]].available) out.push(w);
  return out;
}

/**
 * Every listed worker computes `flops` at once: returns each one's compute time (us) and books it.
 * The caller waits for whichever finish times matter.
 */
export function computeTimes(ctx: TrainContext, nodes: readonly number[], workers: readonly number[], flops: number, account: TrainAccount): number[] {
  return workers.map((w) => {
    const us = ctx.world.computeTimeUs(nodes[w], flops);
    account.computeUs[w] += us;
    return us;
  });
}

export function scalesSummary(s: Scales, replicas?: ReplicaSet, outOfMemory?: number): Record<string, unknown> {
  return { ...(replicas ? { engine: replicas.engineName } : {}), ...(outOfMemory ? { nodesOutOfMemory: outOfMemory } : {}), proxy: s.proxy, virtual: s.virtual, flopsPerStep: s.flopsPerStep, tokensPerStep: s.tokensPerStep };
}

/** A started arm: its process (fires with the summary) and a summary readable at any time. */
export interface ArmRun {
  done: import("../des/event.ts").SimEvent<unknown>;
  summary(): Record<string, unknown>;
}

/**
 * All-reduce `bytes` among the workers `members` (their nodes) and book it as one sync. If a
 * transfer fails (a node went down), retry among those still up, at most 3 attempts.
 * Returns the workers that hold the result (empty if none).
 */
export function* syncAllReduce(
  ctx: TrainContext,
  account: TrainAccount,
  nodes: readonly number[],
  members: readonly number[],
  bytes: number,
  algorithm: AllReduceAlgorithm,
): Generator<import("../des/event.ts").SimEvent<any>, number[], any> {
  const reduce = allReduce(algorithm);
  const t0 = ctx.env.now;
  let group = members.filter((w) => ctx.world.nodes[nodes[w]].available);
  const sentBefore = account.ledger.totalSent();
  for (let attempt = 0; attempt < 3 && group.length > 0; attempt++) {
    const failedBefore = account.ledger.failed;
    yield* reduce(ctx.env, ctx.world.network, group.map((w) => nodes[w]), bytes, account.ledger);
    if (account.ledger.failed === failedBefore) break;
    group = group.filter((w) => ctx.world.nodes[nodes[w]].available);
    if (attempt === 2) group = [];
  }
  const us = ctx.env.now - t0;
  for (const w of members) account.waitUs[w] += us;
  account.sync(us, members.length > 0 ? (account.ledger.totalSent() - sentBefore) / members.length : 0);
  return group;
}
