// K replicas of one architecture (own weights, own data) trained as one batched computation,
// replica dimension first (DESIGN: Learning): one graph execution per step for all replicas.
import { ConfigError } from "../errors.ts";
import type { Backend } from "./backend.ts";
import { type ExecuteResult, type Feeds, executeGraph } from "./execute.ts";
import { nextName, optimizerHyper, HYPER_INPUT } from "./optimizers.ts";
import { hashConcat, hashTensor, toHex } from "./hash.ts";
import { shapeStr, sizeOf } from "./tensor.ts";
import type { TrainStepGraph } from "./trainStep.ts";

export interface StepResult {
  /** Loss of each replica (empty for a graph without a loss, e.g. an update step). */
  loss: Float32Array;
  /** The raw execution (every node's output when recorded). */
  result: ExecuteResult;
}

export class ReplicaTrainer {
  readonly step: TrainStepGraph;
  readonly backend: Backend;
  readonly replicas: number;
  /** Optimizer steps taken (the next step is t + 1). */
  t = 0;
  /** Current parameter and optimizer-state values by input name, replicas * size each. Never mutated in place. */
  readonly state = new Map<string, Float32Array>();

  /**
   * `params`: each parameter's initial values for one replica (shared start) or for all
   * replicas (replicas * size, replica-major). Optimizer state starts at zero.
   */
  constructor(step: TrainStepGraph, backend: Backend, replicas: number, params: ReadonlyMap<string, Float32Array>) {
    if (!Number.isSafeInteger(replicas) || replicas < 1) throw new ConfigError(`ReplicaTrainer: replicas must be a positive integer, got ${replicas}`);
    this.step = step;
    this.backend = backend;
    this.replicas = replicas;
    for (const p of step.params) {
      const v = params.get(p.name);
      if (!v) throw new ConfigError(`ReplicaTrainer: no initial value for parameter ${p.name}`);
      this.setState(p.name, v);
    }
    for (const s of step.states) this.state.set(s, new Float32Array(replicas * sizeOf(step.graph.shapeOf(step.graph.id(s)))));
  }

  /** Replace a parameter or state value (one replica's worth is tiled to all replicas). */
  setState(name: string, values: Float32Array): void {
    const size = sizeOf(this.step.graph.shapeOf(this.step.graph.id(name)));
    if (values.length === size * this.replicas) this.state.set(name, values);
    else if (values.length === size) {
      const t = new Float32Array(size * this.replicas);
      for (let r = 0; r < this.replicas; r++) t.set(values, r * size);
      this.state.set(name, t);
    } else throw new ConfigError(`ReplicaTrainer.setState: ${name} needs ${size} or ${size * this.replicas} values, got ${values.length}`);
  }

  /** One replica's view of a parameter or state value. */
  replicaValue(name: string, replica: number): Float32Array {
    const v = this.state.get(name);
    if (!v) throw new ConfigError(`ReplicaTrainer: no state named ${name}`);
    const size = v.length / this.replicas;
    return v.subarray(replica * size, (replica + 1) * size);
  }

  /** sha256 over one replica's parameters then optimizer state, in declaration order (hex). */
  replicaHash(replica: number): string {
    const names = [...this.step.params.map((p) => p.name), ...this.step.states];
    return toHex(hashConcat(names.map((n) => hashTensor(this.replicaValue(n, replica)))));
  }

  /**
   * One step on every replica: `data` feeds each data input (replicas * size values, or size
   * shared), `lr` the learning rate (a number for all, or one per replica). Updates the state.
   */
  run(data: Feeds, lr: number | Float32Array, options: { record?: boolean } = {}): StepResult {
    const feeds = new Map<string, Float32Array>(data instanceof Map ? data : Object.entries(data));
    for (const [k, v] of this.state) feeds.set(k, v);
    const opt = this.step.optimizer;
    if (opt) {
      const t = this.t + 1;
      if (typeof lr === "number") feeds.set(HYPER_INPUT, optimizerHyper(opt, t, lr));
      else {
        const one = optimizerHyper(opt, t, 1);
        const hp = new Float32Array(one.length * this.replicas);
        for (let r = 0; r < this.replicas; r++) {
          hp.set(one, r * one.length);
          hp[r * one.length] = lr[r];
        }
        feeds.set(HYPER_INPUT, hp);
      }
    }
    const result = executeGraph(this.step.graph, this.backend, feeds, { replicas: this.replicas, record: options.record });
    if (opt) {
      for (const name of [...this.step.params.map((p) => p.name), ...this.step.states]) {
        this.state.set(name, result.outputs.get(nextName(name))!);
      }
      this.t += 1;
    }
    return { loss: result.outputs.get("loss") ?? new Float32Array(0), result };
  }
}

/**
 * n optimizer steps of `step` on `replicas` replicas whose parameters and optimizer state stay
 * resident on the backend between steps: uploaded from `state` (every parameter and state name,
 * replicas * size each) before the first step and downloaded into it (the entries are replaced)
 * after the last, where n runs of executeGraph would upload and download them every step (at
 * thousands of replicas that copying, into fresh arrays, costs more than the step itself). Each
 * op runs on the same inputs in the same order as executeGraph's, so every value is bit for bit
 * the one n executeGraph runs give. `feeds(k)` gives step k's data and hyperparameter inputs
 * (replicas * size, or size shared); `onLoss(k, loss)` receives step k's per-replica loss.
 */
export function runResidentSteps(
  step: TrainStepGraph,
  backend: Backend,
  replicas: number,
  state: Map<string, Float32Array>,
  n: number,
  feeds: (k: number) => Feeds,
  onLoss: (k: number, loss: Float32Array) => void,
): void {
  const R = replicas;
  if (!Number.isSafeInteger(R) || R < 1) throw new ConfigError(`runResidentSteps: replicas must be a positive integer, got ${R}`);
  if (!step.optimizer) throw new ConfigError("runResidentSteps: the step graph has no optimizer (no next: outputs to carry)");
  const g = step.graph;
  const names = [...step.params.map((p) => p.name), ...step.states];
  const inId = names.map((nm) => g.id(nm));
  const nextId = names.map((nm) => g.outputs.get(nextName(nm)) ?? g.id(nextName(nm)));
  const lossId = g.outputs.get("loss");
  if (lossId === undefined) throw new ConfigError("runResidentSteps: the step graph has no loss output");
  const N = g.nodes.length;
  const needed = new Uint8Array(N);
  for (const id of [lossId, ...nextId]) needed[id] = 1;
  for (let i = N - 1; i >= 0; i--) if (needed[i]) for (const j of g.nodes[i].inputs) needed[j] = 1;
  const lastUse = new Int32Array(N).fill(-1);
  for (let i = 0; i < N; i++) if (needed[i]) for (const j of g.nodes[i].inputs) lastUse[j] = i;
  // Resident inputs (owned here across steps) and kept outputs are never freed inside a step.
  const held = new Uint8Array(N);
  for (const id of [lossId, ...nextId, ...inId]) held[id] = 1;
  const slot = new Map(inId.map((id, k) => [id, k]));
  for (const id of nextId) if (g.nodes[id].op === "input") throw new ConfigError(`runResidentSteps: output ${g.nodes[id].name} is an input itself`);
  if (new Set(nextId).size !== nextId.length) throw new ConfigError("runResidentSteps: two next: outputs share one node");

  let resident: unknown[] = names.map((nm, k) => {
    const v = state.get(nm);
    const size = sizeOf(g.nodes[inId[k]].shape);
    if (!v || v.length !== size * R) throw new ConfigError(`runResidentSteps: state ${nm} needs ${size * R} values (${R} x ${shapeStr(g.nodes[inId[k]].shape)}), got ${v?.length ?? "none"}`);
    return backend.upload(v, g.nodes[inId[k]].shape, R);
  });
  const vals = new Array<unknown>(N);
  try {
    for (let k = 0; k < n; k++) {
      const f = feeds(k);
      for (let i = 0; i < N; i++) {
        if (!needed[i]) continue;
        const node = g.nodes[i];
        if (node.op === "input") {
          const r = slot.get(i);
          if (r !== undefined) vals[i] = resident[r];
          else {
            const size = sizeOf(node.shape);
            let data = f instanceof Map ? f.get(node.name!) : (f as Record<string, Float32Array>)[node.name!];
            if (!data) throw new ConfigError(`runResidentSteps: no feed for input ${node.name} (node ${i}, shape ${shapeStr(node.shape)})`);
            if (data.length === size && R > 1) {
              const tiled = new Float32Array(size * R);
              for (let q = 0; q < R; q++) tiled.set(data, q * size);
              data = tiled;
            }
            if (data.length !== size * R) throw new ConfigError(`runResidentSteps: feed ${node.name} has ${data.length} values, expected ${size * R} (${R} x ${shapeStr(node.shape)}) or ${size}`);
            vals[i] = backend.upload(data, node.shape, R);
          }
        } else vals[i] = backend.exec(node, node.inputs.map((j) => g.nodes[j].shape), node.inputs.map((j) => vals[j]), R);
        for (const j of node.inputs) {
          if (lastUse[j] === i && !held[j] && vals[j] !== undefined) {
            backend.dispose(vals[j]);
            vals[j] = undefined;
          }
        }
      }
      onLoss(k, backend.download(vals[lossId]));
      // The next: outputs become the resident state; everything else of this step is freed.
      const next = nextId.map((id) => vals[id]);
      for (const v of resident) backend.dispose(v);
      resident = next;
      for (const id of inId) vals[id] = undefined;
      for (const id of nextId) vals[id] = undefined;
      for (let i = 0; i < N; i++) {
        if (vals[i] !== undefined) backend.dispose(vals[i]);
        vals[i] = undefined;
      }
    }
    names.forEach((nm, k) => state.set(nm, backend.download(resident[k])));
  } finally {
    for (let i = 0; i < N; i++) if (vals[i] !== undefined && !slot.has(i)) backend.dispose(vals[i]);
    for (const v of resident) backend.dispose(v);
  }
}
