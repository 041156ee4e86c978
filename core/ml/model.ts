// Model building blocks shared by the models: trainable parameter declarations with their
// deterministic initialisation from a named RNG stream (DESIGN: Kernel, Learning).
import type { Rng } from "../des/rng.ts";
import type { Graph } from "./graph.ts";
import { type Shape, sizeOf } from "./tensor.ts";

export type ParamInit = { kind: "normal"; std: number } | { kind: "zeros" } | { kind: "ones" };

export interface ParamSpec {
  /** Feed name of the parameter's input node. */
  name: string;
  shape: Shape;
  init: ParamInit;
}

/** What a model builder appends to a graph: a scalar loss and its parameters, in declaration order. */
export interface ModelBuild {
  loss: number;
  params: ParamSpec[];
  /** Other named nodes worth reading (e.g. logits). */
  extra?: Record<string, number>;
  /**
   * Data inputs whose gradients the step also outputs as `grad:<name>` (a pipeline stage
   * sends the gradient of its input activations back to the previous stage).
   */
  inputGrads?: string[];
}

export type ModelBuilder = (g: Graph) => ModelBuild;

/** Declare a trainable parameter input and record its spec. */
export function param(g: Graph, specs: ParamSpec[], name: string, shape: Shape, init: ParamInit): number {
  specs.push({ name, shape: [...shape], init });
  return g.input(name, shape, "param");
}

/**
 * Initial values of each parameter (one replica), drawn in declaration order from `rng`
 * (e.g. streams.stream("model", "init")): same stream, same weights on every engine.
 */
export function initParams(specs: readonly ParamSpec[], rng: Rng): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const s of specs) {
    const data = new Float32Array(sizeOf(s.shape));
    if (s.init.kind === "normal") for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, s.init.std);
    else if (s.init.kind === "ones") data.fill(1);
    out.set(s.name, data);
  }
  return out;
}

/** Total parameter count of a model (one replica). */
export function paramCount(specs: readonly ParamSpec[]): number {
  return specs.reduce((n, s) => n + sizeOf(s.shape), 0);
}
