// Running a graph: executeGraph (whole step, optionally recording every node's output for
// Verde's per-node hashes) and evalNode (recompute ONE node from given inputs, the referee's
// move in REFERENCE §3). Both run R replicas at once: every value carries a leading replica dim.
import { ConfigError } from "../errors.ts";
import type { Backend } from "./backend.ts";
import { repopsBackend } from "./backends/repops.ts";
import type { Graph } from "./graph.ts";
import { shapeStr, sizeOf } from "./tensor.ts";

export type Feeds = Readonly<Record<string, Float32Array>> | ReadonlyMap<string, Float32Array>;

export interface ExecuteOptions {
  /** Number of replicas batched in this run (default 1). */
  replicas?: number;
  /** Keep and return every node's output (values[id]); otherwise only named outputs. */
  record?: boolean;
  /** Names (from graph.outputs or named nodes) to return; default: all graph.outputs. */
  outputs?: readonly string[];
}

export interface ExecuteResult {
  replicas: number;
  /** Requested outputs by name: Float32Array of replicas * size, replica dimension first. */
  outputs: Map<string, Float32Array>;
  /** With record: every node's output by node id (inputs included). */
  values?: Float32Array[];
}

function feedOf(feeds: Feeds, name: string): Float32Array | undefined {
  return feeds instanceof Map ? feeds.get(name) : (feeds as Record<string, Float32Array>)[name];
}

/**
 * Execute `graph` on `backend`. Each input node is fed by its name with either replicas * size
 * values (one block per replica) or size values (shared by all replicas: tiled).
 */
export function executeGraph(graph: Graph, backend: Backend, feeds: Feeds, options: ExecuteOptions = {}): ExecuteResult {
  const R = options.replicas ?? 1;
  if (!Number.isSafeInteger(R) || R < 1) throw new ConfigError(`executeGraph: replicas must be a positive integer, got ${R}`);
  const names = options.outputs ?? [...graph.outputs.keys()];
  const outIds = names.map((nm) => graph.outputs.get(nm) ?? graph.id(nm));
  const n = graph.nodes.length;

  // Which nodes to run: all when recording, else those the outputs need.
  const needed = new Uint8Array(n);
  if (options.record) needed.fill(1);
  else {
    for (const id of outIds) needed[id] = 1;
    for (let i = n - 1; i >= 0; i--) if (needed[i]) for (const j of graph.nodes[i].inputs) needed[j] = 1;
  }
  // Last consumer of each value, to free intermediates early.
  const lastUse = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) if (needed[i]) for (const j of graph.nodes[i].inputs) lastUse[j] = i;
  const keep = new Uint8Array(n);
  for (const id of outIds) keep[id] = 1;

  const vals = new Array<unknown>(n);
  const recorded: Float32Array[] | undefined = options.record ? new Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    if (!needed[i]) continue;
    const node = graph.nodes[i];
    if (node.op === "input") {
      const size = sizeOf(node.shape);
      let data = feedOf(feeds, node.name!);
      if (!data) throw new ConfigError(`executeGraph: no feed for input ${node.name} (node ${i}, shape ${shapeStr(node.shape)})`);
      if (data.length === size && R > 1) {
        const tiled = new Float32Array(size * R);
        for (let r = 0; r < R; r++) tiled.set(data, r * size);
        data = tiled;
      }
      if (data.length !== size * R) {
        throw new ConfigError(`executeGraph: feed ${node.name} has ${data.length} values, expected ${size * R} (${R} x ${shapeStr(node.shape)}) or ${size}`);
      }
      vals[i] = backend.upload(data, node.shape, R);
    } else {
      const ins = node.inputs.map((j) => vals[j]);
      vals[i] = backend.exec(node, node.inputs.map((j) => graph.nodes[j].shape), ins, R);
    }
    if (recorded) recorded[i] = backend.download(vals[i]);
    for (const j of node.inputs) {
      // (an op may list one input twice, e.g. mul(x, x): free it once)
      if (lastUse[j] === i && !keep[j] && vals[j] !== undefined) {
        backend.dispose(vals[j]);
        vals[j] = undefined;
      }
    }
  }
  const outputs = new Map<string, Float32Array>();
  names.forEach((nm, k) => outputs.set(nm, recorded ? recorded[outIds[k]] : backend.download(vals[outIds[k]])));
  for (let i = 0; i < n; i++) if (vals[i] !== undefined) backend.dispose(vals[i]);
  return { replicas: R, outputs, values: recorded };
}

/**
 * Recompute one node from its input tensors (one replica, in the node's input order) on
 * `backend` (default repops: the referee's backend, REFERENCE §3). Returns the output values.
 */
export function evalNode(graph: Graph, nodeId: number, inputs: readonly Float32Array[], backend: Backend = repopsBackend): Float32Array {
  const node = graph.node(nodeId);
  if (node.op === "input") throw new ConfigError(`evalNode: node ${nodeId} (${node.name}) is an input, not an op`);
  if (inputs.length !== node.inputs.length) throw new ConfigError(`evalNode: node ${nodeId} (${node.op}) takes ${node.inputs.length} inputs, got ${inputs.length}`);
  const shapes = node.inputs.map((j) => graph.nodes[j].shape);
  const ins = inputs.map((d, k) => {
    if (d.length !== sizeOf(shapes[k])) throw new ConfigError(`evalNode: node ${nodeId} input ${k} has ${d.length} values, shape ${shapeStr(shapes[k])} needs ${sizeOf(shapes[k])}`);
    return backend.upload(d, shapes[k], 1);
  });
  const out = backend.exec(node, shapes, ins, 1);
  const data = backend.download(out);
  for (const v of ins) backend.dispose(v);
  backend.dispose(out);
  return data;
}
