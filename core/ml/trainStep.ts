// One training step as ONE graph: forward, reverse-mode backward and optimizer update
// (DESIGN: Learning; REFERENCE §3 phase 2 hashes every node of exactly this graph).
import { gradients } from "./autodiff.ts";
import { Graph } from "./graph.ts";
import type { ModelBuilder, ParamSpec } from "./model.ts";
import { type OptimizerConfig, appendOptimizer } from "./optimizers.ts";

export interface TrainStepGraph {
  graph: Graph;
  params: ParamSpec[];
  /** Optimizer state inputs (each has output `next:<name>`), in order. */
  states: string[];
  /** Data inputs the caller feeds every step (names). */
  data: string[];
  optimizer: OptimizerConfig | null;
  /** Node id ranges: forward [0, forwardEnd), backward [forwardEnd, backwardEnd), update after. */
  phases: { forwardEnd: number; backwardEnd: number };
}

/** Feed/output name of a parameter's gradient. */
export const gradName = (param: string) => `grad:${param}`;

/**
 * Build forward + backward (+ optimizer update when `optimizer` is given) of `model`. Outputs:
 * `loss` (per replica scalar); with an optimizer `next:<param>` and `next:<state>`; without
 * one `grad:<param>` (for data-parallel all-reduce before a separate update step); and
 * `grad:<input>` for each of the model's inputGrads.
 */
export function buildTrainStep(model: ModelBuilder, optimizer: OptimizerConfig | null): TrainStepGraph {
  const g = new Graph();
  const m = model(g);
  g.output("loss", m.loss);
  for (const [name, id] of Object.entries(m.extra ?? {})) g.output(name, id);
  const ids = m.params.map((p) => g.id(p.name));
  const forwardEnd = g.nodes.length;
  const inputIds = (m.inputGrads ?? []).map((n) => g.id(n));
  const grads = gradients(g, m.loss, [...ids, ...inputIds]);
  const byName = new Map(m.params.map((p, k) => [p.name, { id: ids[k], grad: grads.get(ids[k])! }]));
  (m.inputGrads ?? []).forEach((n, k) => g.output(gradName(n), grads.get(inputIds[k])!));
  const backwardEnd = g.nodes.length;
  let states: string[] = [];
  if (optimizer) states = appendOptimizer(g, byName, optimizer);
  else for (const [name, { grad }] of byName) g.output(gradName(name), grad);
  const data = g.inputNodes.filter((n) => n.kind === "data").map((n) => n.name!);
  return { graph: g, params: m.params, states, data, optimizer, phases: { forwardEnd, backwardEnd } };
}

/** Forward only (evaluation): outputs `loss` and the model's extra nodes (e.g. `logits`). */
export function buildEvalGraph(model: ModelBuilder): { graph: Graph; params: ParamSpec[] } {
  const g = new Graph();
  const m = model(g);
  g.output("loss", m.loss);
  for (const [name, id] of Object.entries(m.extra ?? {})) g.output(name, id);
  return { graph: g, params: m.params };
}

/** A graph that applies `optimizer` to parameters given their gradients (inputs `grad:<param>`). */
export function buildUpdateStep(params: readonly ParamSpec[], optimizer: OptimizerConfig): TrainStepGraph {
  const g = new Graph();
  const byName = new Map<string, { id: number; grad: number }>();
  for (const p of params) {
    const id = g.input(p.name, p.shape, "param");
    byName.set(p.name, { id, grad: g.input(gradName(p.name), p.shape, "data") });
  }
  const backwardEnd = g.nodes.length;
  const states = appendOptimizer(g, byName, optimizer);
  return { graph: g, params: [...params], states, data: params.map((p) => gradName(p.name)), optimizer, phases: { forwardEnd: 0, backwardEnd } };
}
