// FLOPs and bytes per op and per step, for the virtual-time compute model (DESIGN: World: a
// node's compute time = FLOPs / (peak x efficiency)) and for bytes on the wire.
import type { Graph } from "./graph.ts";
import type { ParamSpec } from "./model.ts";
import { OPS } from "./opDefs.ts";
import { sizeOf } from "./tensor.ts";
import type { TrainStepGraph } from "./trainStep.ts";

export const FLOAT32_BYTES = 4;

export interface NodeCost {
  /** Floating-point operations for one replica. */
  flops: number;
  /** Bytes read (inputs) plus written (output) for one replica: the op's memory traffic. */
  bytes: number;
}

export function nodeCost(g: Graph, id: number): NodeCost {
  const n = g.node(id);
  if (n.op === "input") return { flops: 0, bytes: 0 };
  const ins = n.inputs.map((j) => g.nodes[j].shape);
  const flops = OPS[n.op].flops(ins, n.shape, n.attrs);
  const touched = n.op === "reshape" ? 0 : ins.reduce((s, sh) => s + sizeOf(sh), 0) + sizeOf(n.shape);
  return { flops, bytes: FLOAT32_BYTES * touched };
}

export interface GraphCost extends NodeCost {
  /** Per op name, sorted by name: count, flops and bytes (one replica). */
  byOp: { op: string; count: number; flops: number; bytes: number }[];
}

/** Total cost of nodes [from, to) for one replica (multiply by the replica count for a batch). */
export function graphCost(g: Graph, from = 0, to = g.nodes.length): GraphCost {
  const byOp = new Map<string, { op: string; count: number; flops: number; bytes: number }>();
  let flops = 0;
  let bytes = 0;
  for (let id = from; id < to; id++) {
    const n = g.nodes[id];
    if (n.op === "input") continue;
    const c = nodeCost(g, id);
    flops += c.flops;
    bytes += c.bytes;
    const e = byOp.get(n.op) ?? { op: n.op, count: 0, flops: 0, bytes: 0 };
    e.count++;
    e.flops += c.flops;
    e.bytes += c.bytes;
    byOp.set(n.op, e);
  }
  return { flops, bytes, byOp: [...byOp.values()].sort((a, b) => (a.op < b.op ? -1 : a.op > b.op ? 1 : 0)) };
}

export interface StepCost {
  forward: NodeCost;
  backward: NodeCost;
  update: NodeCost;
  total: NodeCost;
  /** Parameter count and their float32 bytes (what a full weight or gradient exchange sends). */
  params: number;
  paramBytes: number;
}

/** Cost of one training step for one replica, split into forward, backward and update. */
export function stepCost(step: TrainStepGraph): StepCost {
  const g = step.graph;
  const { forwardEnd, backwardEnd } = step.phases;
  const pick = (c: GraphCost): NodeCost => ({ flops: c.flops, bytes: c.bytes });
  const forward = pick(graphCost(g, 0, forwardEnd));
  const backward = pick(graphCost(g, forwardEnd, backwardEnd));
  const update = pick(graphCost(g, backwardEnd));
  const params = paramElements(step.params);
  return {
    forward,
    backward,
    update,
    total: { flops: forward.flops + backward.flops + update.flops, bytes: forward.bytes + backward.bytes + update.bytes },
    params,
    paramBytes: FLOAT32_BYTES * params,
  };
}

function paramElements(specs: readonly ParamSpec[]): number {
  return specs.reduce((s, p) => s + sizeOf(p.shape), 0);
}
