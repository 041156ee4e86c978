// Collective communication over the network model: ring and tree all-reduce and NoLoCo's gossip
// pairs, each hop a real transfer through network.send (latency + bytes over shared bandwidth).
import { ConfigError } from "../errors.ts";
import type { Environment } from "../des/environment.ts";
import type { SimEvent } from "../des/event.ts";
import type { ProcessGenerator } from "../des/process.ts";

/** What a collective needs from the world's network: one transfer that fires on delivery. */
export interface Transport {
  send(from: number, to: number, bytes: number): SimEvent<unknown>;
}

export type AllReduceAlgorithm = "ring" | "tree";

/** Per-node byte counts of everything a collective sent (keyed by node id). */
export class TrafficLedger {
  readonly sent = new Map<number, number>();
  readonly received = new Map<number, number>();
  transfers = 0;
  /** Transfers that did not arrive (lost, partitioned, an end went down). */
  failed = 0;
  record(from: number, to: number, bytes: number): void {
    this.sent.set(from, (this.sent.get(from) ?? 0) + bytes);
    this.received.set(to, (this.received.get(to) ?? 0) + bytes);
    this.transfers++;
  }
  totalSent(): number {
    let s = 0;
    for (const k of [...this.sent.keys()].sort((a, b) => a - b)) s += this.sent.get(k)!;
    return s;
  }
}

function send(net: Transport, ledger: TrafficLedger, from: number, to: number, bytes: number): SimEvent<unknown> {
  ledger.record(from, to, bytes);
  const ev = net.send(from, to, bytes);
  ev.addCallback((e) => {
    if (!e.ok || (e.value as { delivered?: boolean } | undefined)?.delivered === false) ledger.failed++;
  });
  return ev;
}

/**
 * Ring all-reduce: reduce-scatter then all-gather, 2(N-1) phases in which every node sends
 * bytes/N to its successor at once; a phase ends when all its transfers have arrived.
 * Returns the elapsed virtual time in microseconds.
 */
export function* ringAllReduce(env: Environment, net: Transport, nodes: readonly number[], bytes: number, ledger: TrafficLedger): ProcessGenerator<number> {
  const t0 = env.now;
  const n = nodes.length;
  if (n <= 1) return 0;
  const chunk = Math.ceil(bytes / n);
  for (let phase = 0; phase < 2 * (n - 1); phase++) {
    const hops: SimEvent<unknown>[] = [];
    for (let i = 0; i < n; i++) hops.push(send(net, ledger, nodes[i], nodes[(i + 1) % n], chunk));
    yield env.allOf(hops);
  }
  return env.now - t0;
}

/**
 * Tree all-reduce over a binary tree (node k's parent is (k-1)>>1): every node sends its partial
 * sum to its parent once its children's have arrived, then the root broadcasts back down.
 * 2(N-1) transfers of the full payload, depth 2*log2(N). Returns elapsed microseconds.
 */
export function* treeAllReduce(env: Environment, net: Transport, nodes: readonly number[], bytes: number, ledger: TrafficLedger): ProcessGenerator<number> {
  const t0 = env.now;
  const n = nodes.length;
  if (n <= 1) return 0;
  const up: SimEvent<unknown>[] = new Array(n);
  const self = env;
  // Reduce: leaves first (highest index), so every child's event exists before its parent waits.
  for (let k = n - 1; k >= 1; k--) {
    const kids = [2 * k + 1, 2 * k + 2].filter((c) => c < n).map((c) => up[c]);
    const ready = env.event<unknown>("tree-up");
    const go = () => send(net, ledger, nodes[k], nodes[(k - 1) >> 1], bytes).addCallback((e) => ready.trigger(e));
    if (kids.length === 0) go();
    else self.allOf(kids).addCallback((e) => (e.ok ? go() : ready.trigger(e)));
    up[k] = ready;
  }
  const rootKids = [1, 2].filter((c) => c < n).map((c) => up[c]);
  yield env.allOf(rootKids);
  // Broadcast: each node forwards to its children as soon as it has the result.
  const down: SimEvent<unknown>[] = new Array(n);
  const leaves: SimEvent<unknown>[] = [];
  for (let k = 1; k < n; k++) {
    const parentDone = k <= 2 ? null : down[(k - 1) >> 1];
    const ready = env.event<unknown>("tree-down");
    const go = () => send(net, ledger, nodes[(k - 1) >> 1], nodes[k], bytes).addCallback((e) => ready.trigger(e));
    if (parentDone === null) go();
    else parentDone.addCallback((e) => (e.ok ? go() : ready.trigger(e)));
    down[k] = ready;
    if (2 * k + 1 >= n) leaves.push(ready);
  }
  yield env.allOf(leaves);
  return env.now - t0;
}

export function allReduce(algorithm: AllReduceAlgorithm): typeof ringAllReduce {
  if (algorithm === "ring") return ringAllReduce;
  if (algorithm === "tree") return treeAllReduce;
  throw new ConfigError(`unknown all-reduce algorithm ${JSON.stringify(algorithm)}: expected "ring" or "tree"`);
}

/**
 * NoLoCo gossip (REFERENCE §5): every member of a group sends its payload to every other member at
 * once. Returns elapsed microseconds for this group only (groups do not wait for each other).
 */
export function* groupExchange(env: Environment, net: Transport, group: readonly number[], bytes: number, ledger: TrafficLedger): ProcessGenerator<number> {
  const t0 = env.now;
  const hops: SimEvent<unknown>[] = [];
  for (const a of group) for (const b of group) if (a !== b) hops.push(send(net, ledger, a, b, bytes));
  if (hops.length > 0) yield env.allOf(hops);
  return env.now - t0;
}

/**
 * NoLoCo's exchange as gensyn-ai/noloco runs it (sparse_optimizer_c.py outer_step): the group's
 * first member is the root; every other member sends it two payloads (its slow weights and its
 * fast-minus-slow weights), the root computes both group means and sends the two back to each
 * member. Two phases, 4 (g - 1) payloads in all. Returns elapsed microseconds for this group.
 */
export function* starExchange(env: Environment, net: Transport, group: readonly number[], bytes: number, ledger: TrafficLedger): ProcessGenerator<number> {
  const t0 = env.now;
  if (group.length <= 1) return 0;
  const [root, ...others] = group;
  yield env.allOf(others.map((a) => send(net, ledger, a, root, 2 * bytes)));
  yield env.allOf(others.map((a) => send(net, ledger, root, a, 2 * bytes)));
  return env.now - t0;
}
