// The graph IR: a list of nodes in topological order; a node's id IS its topological index
// (every node is appended after its inputs), so forward, backward and optimizer nodes of one
// training step share one numbering that Verde can bisect over (REFERENCE §3).
import { ConfigError } from "../errors.ts";
import { type Attrs, OPS, type OpName } from "./opDefs.ts";
import { type Shape, checkShape, shapeStr } from "./tensor.ts";

/** What an input node holds: trainable weights, optimizer/other state, batch data, or hyperparameters. */
export type InputKind = "param" | "state" | "data" | "hyper";

export interface GraphNode {
  /** Also the node's topological index. */
  readonly id: number;
  readonly op: OpName;
  readonly inputs: readonly number[];
  readonly attrs: Attrs;
  /** Per-replica output shape. */
  readonly shape: Shape;
  /** Set on inputs (their feed name) and on nodes given a name. */
  readonly name?: string;
  /** Set on inputs only. */
  readonly kind?: InputKind;
}

export class Graph {
  readonly nodes: GraphNode[] = [];
  /** Named outputs in insertion order. */
  readonly outputs = new Map<string, number>();
  private readonly names = new Map<string, number>();

  /** Declare an input fed at execution time under `name`. */
  input(name: string, shape: Shape, kind: InputKind = "data"): number {
    if (shape.length > 0) checkShape(shape, `input ${name}`);
    return this.push({ op: "input", inputs: [], attrs: {}, shape: [...shape], name, kind });
  }

  /** Append an op node; its shape is inferred and checked (ConfigError on a mismatch). */
  op(op: OpName, inputs: readonly number[], attrs: Attrs = {}, name?: string): number {
    const def = OPS[op];
    if (!def || op === "input") throw new ConfigError(`Graph.op: unknown op ${String(op)}`);
    if (inputs.length !== def.arity) throw new ConfigError(`Graph.op: ${op} takes ${def.arity} inputs, got ${inputs.length}`);
    for (const i of inputs) {
      if (!Number.isInteger(i) || i < 0 || i >= this.nodes.length) throw new ConfigError(`Graph.op: ${op} input id ${i} does not exist`);
    }
    const shape = def.shape(inputs.map((i) => this.nodes[i].shape), attrs);
    return this.push({ op, inputs: [...inputs], attrs, shape, name });
  }

  /** Mark `id` as a named output. */
  output(name: string, id: number): void {
    if (this.outputs.has(name)) throw new ConfigError(`Graph.output: duplicate output name ${name}`);
    this.node(id);
    this.outputs.set(name, id);
  }

  node(id: number): GraphNode {
    const n = this.nodes[id];
    if (!n) throw new ConfigError(`Graph: no node ${id} (graph has ${this.nodes.length})`);
    return n;
  }

  /** Id of a named node (input or named op). */
  id(name: string): number {
    const id = this.names.get(name);
    if (id === undefined) throw new ConfigError(`Graph: no node named ${name}`);
    return id;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** Input nodes in id order. */
  get inputNodes(): GraphNode[] {
    return this.nodes.filter((n) => n.op === "input");
  }

  shapeOf(id: number): Shape {
    return this.node(id).shape;
  }

  private push(n: Omit<GraphNode, "id">): number {
    const id = this.nodes.length;
    if (n.name !== undefined) {
      if (this.names.has(n.name)) throw new ConfigError(`Graph: duplicate node name ${n.name}`);
      this.names.set(n.name, id);
    }
    this.nodes.push({ id, ...n });
    return id;
  }

  /** One line per node, for debugging and golden tests. */
  describe(): string {
    return this.nodes
      .map((n) => `${n.id} ${n.op}${n.name ? ` ${n.name}` : ""} (${n.inputs.join(",")}) ${shapeStr(n.shape)}`)
      .join("\n");
  }
}
