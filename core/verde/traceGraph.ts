// Executes one step graph node by node on a backend, recording every node's output and letting a
// tamper hook replace any non-state node's output (how adversaries lie): the traced step shared by
// every graph-based VerifiableProgram (graphProgram.ts, core/inference/forwardProgram.ts).
import { ConfigError } from "../errors.ts";
import type { Backend } from "../ml/backend.ts";
import type { Graph } from "../ml/graph.ts";
import type { NodeTamper, StepGraph } from "./program.ts";

/** Every node's output of `graph` run on `backend` with `feeds`; `who` names the program in errors. */
export function traceGraph(graph: Graph, stepGraph: StepGraph, backend: Backend, feeds: Readonly<Record<string, Float32Array>>, who: string, tamper?: NodeTamper): Float32Array[] {
  const b = backend;
  const vals: unknown[] = new Array(graph.nodes.length);
  const outputs: Float32Array[] = new Array(graph.nodes.length);
  for (const node of graph.nodes) {
    const spec = stepGraph.nodes[node.id];
    if (node.op === "input") {
      const data = feeds[node.name!];
      if (!data) throw new ConfigError(`${who}: no feed for input ${node.name}`);
      vals[node.id] = b.upload(data, node.shape, 1);
      outputs[node.id] = data;
    } else {
      vals[node.id] = b.exec(node, node.inputs.map((j) => graph.nodes[j].shape), node.inputs.map((j) => vals[j]), 1);
      outputs[node.id] = b.download(vals[node.id]);
    }
    if (tamper && spec.op !== "state") {
      const altered = tamper(spec, outputs[node.id], node.inputs.map((j) => outputs[j]), outputs);
      if (altered !== outputs[node.id]) {
        b.dispose(vals[node.id]);
        outputs[node.id] = altered;
        vals[node.id] = b.upload(altered, node.shape, 1);
      }
    }
  }
  for (const v of vals) if (v !== undefined) b.dispose(v);
  return outputs;
}
