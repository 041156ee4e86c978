// Forward-only work (inference, evaluation) as a VerifiableProgram (REFERENCE §3), so that
// core/protocol/verifiedJob.ts runs it through the same commit / compare / DisputeGame / referee
// loop as training. The batch of requests is cut into chunks: Verde phase 1 bisects over chunks
// ("steps"), phase 2 over the nodes of one chunk's forward graph.
//
// State = one tensor `results` [chunks, K]: row c holds chunk c's output (K values: logits,
// Gumbel-perturbed scores, or a loss). Step c writes row c with an exact placement:
// results' = results + onehot(c) [chunks,1] x out [1,K]; every product is x*1 or x*0 and every
// row but c adds +-0, so the placement is bit-exact on every backend and the final state hash
// covers every chunk's output (a truncated or cached answer changes it). The model's weights and
// the requests are data inputs regenerated from the job spec and the chunk index, as the referee
// regenerates a training batch.
import { ConfigError } from "../errors.ts";
import { traceGraph } from "../verde/traceGraph.ts";
import type { Backend } from "../ml/backend.ts";
import { repopsBackend } from "../ml/backends/repops.ts";
import { evalNode, executeGraph } from "../ml/execute.ts";
import type { Graph } from "../ml/graph.ts";
import { OPS } from "../ml/opDefs.ts";
import { sizeOf } from "../ml/tensor.ts";
import type { NodeTamper, StepGraph, StepNode, StepTrace, VerifiableProgram } from "../verde/program.ts";

export const RESULTS = "results";
export const RESULTS_NEXT = "results'";
export const CHUNK_ROW = "chunk-row";

export type ForwardState = readonly Float32Array[];

export interface ForwardProgramOptions {
  name: string;
  /**
   * The forward graph with the state input `results` [chunks, K], the data input `chunk-row`
   * [chunks, 1] and the output `results'` (build it with appendPlacement()).
   */
  graph: Graph;
  backend: Backend;
  reference?: Backend;
  chunks: number;
  /** Every data input of chunk c except `results` and `chunk-row`: weights and requests. */
  feeds(chunk: number): Readonly<Record<string, Float32Array>>;
}

/** Appends the exact placement of `out` (any shape, K elements) as row `chunk` of `results`. */
export function appendPlacement(g: Graph, out: number, chunks: number): number {
  const K = sizeOf(g.nodes[out].shape);
  const results = g.input(RESULTS, [chunks, K], "state");
  const onehot = g.input(CHUNK_ROW, [chunks, 1], "data");
  const row = g.op("reshape", [out], { shape: [1, K] }, "chunk-output");
  const next = g.op("add", [results, g.op("matmul", [onehot, row], {}, "placement")], {}, "results-next");
  g.output(RESULTS_NEXT, next);
  return K;
}

export class ForwardProgram implements VerifiableProgram<ForwardState> {
  readonly name: string;
  readonly backend: string;
  readonly steps: number;
  /** Values per chunk (the width of `results`). */
  readonly width: number;
  private readonly o: ForwardProgramOptions;
  private readonly exec: Backend;
  private readonly reference: Backend;
  private readonly stepGraph: StepGraph;
  private readonly flopsPerStep: number;

  constructor(options: ForwardProgramOptions) {
    const { graph: g, chunks } = options;
    if (!Number.isSafeInteger(chunks) || chunks < 1) throw new ConfigError(`ForwardProgram ${options.name}: chunks must be a positive integer, got ${chunks}`);
    this.o = options;
    this.name = options.name;
    this.steps = chunks;
    this.exec = options.backend;
    this.backend = options.backend.name;
    this.reference = options.reference ?? repopsBackend;
    if (!this.reference.reproducible) throw new ConfigError(`ForwardProgram ${options.name}: the referee backend ${this.reference.name} is not reproducible`);
    const stateIn = g.id(RESULTS);
    const stateOut = g.outputs.get(RESULTS_NEXT);
    if (stateOut === undefined) throw new ConfigError(`ForwardProgram ${options.name}: the graph has no output ${RESULTS_NEXT} (use appendPlacement)`);
    const shape = g.nodes[stateIn].shape;
    if (shape[0] !== chunks) throw new ConfigError(`ForwardProgram ${options.name}: results has ${shape[0]} rows for ${chunks} chunks`);
    this.width = shape[1];
    const nodes: StepNode[] = g.nodes.map((n) => {
      const ins = n.inputs.map((j) => g.nodes[j].shape);
      const op = n.op !== "input" ? n.op : n.id === stateIn ? "state" : "data";
      return { index: n.id, id: n.name ?? `${n.op}#${n.id}`, op, inputs: n.inputs, size: sizeOf(n.shape), flops: OPS[n.op].flops(ins, n.shape, n.attrs) };
    });
    // No backward pass: every op is "forward"; backwardFrom = first op so wrong-op adversaries pick among all ops.
    const firstOp = nodes.find((n) => n.op !== "state" && n.op !== "data")?.index ?? 0;
    this.stepGraph = { nodes, stateIn: [stateIn], stateOut: [stateOut], backwardFrom: firstOp, paramCount: 0 };
    this.flopsPerStep = nodes.reduce((s, n) => s + n.flops, 0);
  }

  initialState(): ForwardState {
    return [new Float32Array(this.steps * this.width)];
  }

  graph(_i: number): StepGraph {
    return this.stepGraph;
  }

  stateTensors(state: ForwardState): readonly Float32Array[] {
    return state;
  }

  stepFlops(_i: number): number {
    return this.flopsPerStep;
  }

  /** Output row of chunk c in a state. */
  row(state: ForwardState, c: number): Float32Array {
    return state[0].subarray(c * this.width, (c + 1) * this.width);
  }

  private checkStep(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.steps) throw new ConfigError(`ForwardProgram ${this.name}: chunk ${i} out of range 0..${this.steps - 1}`);
  }

  private feeds(state: ForwardState, i: number): Record<string, Float32Array> {
    const onehot = new Float32Array(this.steps);
    onehot[i] = 1;
    return { ...this.o.feeds(i), [RESULTS]: state[0], [CHUNK_ROW]: onehot };
  }

  step(state: ForwardState, i: number): ForwardState {
    this.checkStep(i);
    return [executeGraph(this.o.graph, this.exec, this.feeds(state, i), { outputs: [RESULTS_NEXT] }).outputs.get(RESULTS_NEXT)!];
  }

  traceStep(state: ForwardState, i: number, tamper?: NodeTamper): StepTrace<ForwardState> {
    this.checkStep(i);
    const outputs = traceGraph(this.o.graph, this.stepGraph, this.exec, this.feeds(state, i), `ForwardProgram ${this.name}`, tamper);
    return { outputs, next: [outputs[this.stepGraph.stateOut[0]]] };
  }

  recomputeNode(i: number, node: number, inputs: readonly Float32Array[]): Float32Array {
    this.checkStep(i);
    const spec = this.stepGraph.nodes[node];
    if (!spec) throw new ConfigError(`ForwardProgram ${this.name}: no node ${node}`);
    if (spec.op === "state") throw new ConfigError(`ForwardProgram ${this.name}: node ${node} (${spec.id}) is a state input, not an op`);
    if (spec.op === "data") return this.feeds(this.initialState(), i)[this.o.graph.nodes[node].name!];
    return evalNode(this.o.graph, node, inputs, this.reference);
  }
}
