// Adapter: any ML-ENGINE training step graph (forward + backward + optimizer update as one graph,
// core/ml/trainStep.ts) as a VerifiableProgram. State = parameters then optimizer state; data and
// hyperparameter inputs are regenerated from the step index; the referee recomputes one node with
// evalNode on repops (REFERENCE §3).
import { ConfigError } from "../errors.ts";
import { traceGraph } from "./traceGraph.ts";
import type { Backend } from "../ml/backend.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { evalNode, executeGraph } from "../ml/execute.ts";
import { OPS } from "../ml/opDefs.ts";
import { HYPER_INPUT, nextName, optimizerHyper } from "../ml/optimizers.ts";
import { sizeOf } from "../ml/tensor.ts";
import type { TrainStepGraph } from "../ml/trainStep.ts";
import type { NodeTamper, StepGraph, StepNode, StepTrace, VerifiableProgram } from "./program.ts";

/** State of a graph program: one Float32Array per state input, in canonical order. */
export type GraphState = readonly Float32Array[];

export interface GraphProgramOptions {
  name: string;
  train: TrainStepGraph;
  /** Backend this provider executes on (repops, tfjs-cpu, tfjs-wasm...). */
  backend: Backend;
  /** The referee's backend; must be reproducible (default repops). */
  reference?: Backend;
  steps: number;
  /** Initial parameter values by name (one replica). */
  initialParams: ReadonlyMap<string, Float32Array>;
  /** Initial optimizer state by name (e.g. a DiLoCo worker's AdamW moments kept across rounds); absent ones start at zero. */
  initialStates?: ReadonlyMap<string, Float32Array>;
  /** Optimizer steps taken before step 0 (AdamW bias correction counts from stepOffset + 1). Default 0. */
  stepOffset?: number;
  /** The data feeds of step i (deterministic in i: every party and the referee regenerate them). */
  batch(step: number): Readonly<Record<string, Float32Array>>;
  /** Learning rate of step i (default 1e-2). */
  lr?(step: number): number;
}

export class GraphProgram implements VerifiableProgram<GraphState> {
  readonly name: string;
  readonly backend: string;
  readonly steps: number;
  private readonly o: GraphProgramOptions;
  private readonly exec: Backend;
  private readonly reference: Backend;
  private readonly stepGraph: StepGraph;
  private readonly stateNames: string[];
  private readonly nextNames: string[];
  private readonly flopsPerStep: number;

  constructor(options: GraphProgramOptions) {
    const { train } = options;
    if (!train.optimizer) throw new ConfigError(`GraphProgram ${options.name}: the step graph needs an optimizer update (build it with buildTrainStep(model, optimizer))`);
    if (!Number.isSafeInteger(options.steps) || options.steps < 1) throw new ConfigError(`GraphProgram ${options.name}: steps must be a positive integer, got ${options.steps}`);
    this.o = options;
    this.name = options.name;
    this.steps = options.steps;
    this.exec = options.backend;
    this.backend = options.backend.name;
    this.reference = options.reference ?? repopsBackend;
    if (!this.reference.reproducible) throw new ConfigError(`GraphProgram ${options.name}: the referee backend ${this.reference.name} is not reproducible`);
    const g = train.graph;
    this.stateNames = [...train.params.map((p) => p.name), ...train.states];
    this.nextNames = this.stateNames.map(nextName);
    const nodes: StepNode[] = g.nodes.map((n) => {
      const ins = n.inputs.map((j) => g.nodes[j].shape);
      const op = n.op !== "input" ? n.op : n.kind === "param" || n.kind === "state" ? "state" : "data";
      return { index: n.id, id: n.name ?? `${n.op}#${n.id}`, op, inputs: n.inputs, size: sizeOf(n.shape), flops: OPS[n.op].flops(ins, n.shape, n.attrs) };
    });
    const stateOut = this.nextNames.map((nm) => {
      const id = g.outputs.get(nm);
      if (id === undefined) throw new ConfigError(`GraphProgram ${options.name}: the step graph has no output ${nm}`);
      return id;
    });
    this.stepGraph = { nodes, stateIn: this.stateNames.map((nm) => g.id(nm)), stateOut, backwardFrom: (g.outputs.get("loss") ?? 0) + 1, paramCount: train.params.length };
    this.flopsPerStep = nodes.reduce((s, n) => s + n.flops, 0);
  }

  initialState(): GraphState {
    const g = this.o.train.graph;
    return this.stateNames.map((nm, k) => {
      if (k < this.o.train.params.length) {
        const v = this.o.initialParams.get(nm);
        if (!v) throw new ConfigError(`GraphProgram ${this.name}: no initial value for parameter ${nm}`);
        return v;
      }
      const v = this.o.initialStates?.get(nm);
      const n = sizeOf(g.shapeOf(g.id(nm)));
      if (v && v.length !== n) throw new ConfigError(`GraphProgram ${this.name}: initial state ${nm} has ${v.length} elements, expected ${n}`);
      return v ?? new Float32Array(n);
    });
  }

  graph(_i: number): StepGraph {
    return this.stepGraph;
  }

  stateTensors(state: GraphState): readonly Float32Array[] {
    return state;
  }

  stepFlops(_i: number): number {
    return this.flopsPerStep;
  }

  private feeds(state: GraphState, i: number): Record<string, Float32Array> {
    const feeds: Record<string, Float32Array> = { ...this.o.batch(i) };
    this.stateNames.forEach((nm, k) => (feeds[nm] = state[k]));
    feeds[HYPER_INPUT] = optimizerHyper(this.o.train.optimizer!, (this.o.stepOffset ?? 0) + i + 1, this.o.lr?.(i) ?? 1e-2);
    return feeds;
  }

  private checkStep(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.steps) throw new ConfigError(`GraphProgram ${this.name}: step ${i} out of range 0..${this.steps - 1}`);
  }

  step(state: GraphState, i: number): GraphState {
    this.checkStep(i);
    const r = executeGraph(this.o.train.graph, this.exec, this.feeds(state, i), { outputs: this.nextNames });
    return this.nextNames.map((nm) => r.outputs.get(nm)!);
  }

  traceStep(state: GraphState, i: number, tamper?: NodeTamper): StepTrace<GraphState> {
    this.checkStep(i);
    const outputs = traceGraph(this.o.train.graph, this.stepGraph, this.exec, this.feeds(state, i), `GraphProgram ${this.name}`, tamper);
    return { outputs, next: this.stepGraph.stateOut.map((n) => outputs[n]) };
  }

  recomputeNode(i: number, node: number, inputs: readonly Float32Array[]): Float32Array {
    this.checkStep(i);
    const spec = this.stepGraph.nodes[node];
    if (!spec) throw new ConfigError(`GraphProgram ${this.name}: no node ${node}`);
    if (spec.op === "state") throw new ConfigError(`GraphProgram ${this.name}: node ${node} (${spec.id}) is a state input, not an op`);
    if (spec.op === "data") {
      const name = this.o.train.graph.nodes[node].name!;
      return name === HYPER_INPUT ? optimizerHyper(this.o.train.optimizer!, (this.o.stepOffset ?? 0) + i + 1, this.o.lr?.(i) ?? 1e-2) : this.o.batch(i)[name];
    }
    return evalNode(this.o.train.graph, node, inputs, this.reference);
  }
}
