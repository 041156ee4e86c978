// K replicas of one architecture (own weights, own data) trained as one batched computation,
// replica dimension first (DESIGN: Learning): one graph execution per step for all replicas.
import { ConfigError } from "../errors.ts";
import type { Backend } from "./backend.ts";
import { type ExecuteResult, type Feeds, executeGraph } from "./execute.ts";
import { nextName, optimizerHyper, HYPER_INPUT } from "./optimizers.ts";
import { hashConcat, hashTensor, toHex } from "./hash.ts";
import { sizeOf } from "./tensor.ts";
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
