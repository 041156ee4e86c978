// Backends execute graph nodes; one interface, selected by name from a registry (DESIGN: Learning).
// Values live in the backend's own representation (Float32Array for repops, tf.Tensor for tfjs)
// so a step does not copy between ops; executeGraph uploads feeds and downloads outputs.
import { ConfigError } from "../errors.ts";
import type { GraphNode } from "./graph.ts";
import type { Shape } from "./tensor.ts";

export interface Backend<T = unknown> {
  readonly name: string;
  /** true when outputs are bit-identical across engines, machines and replica batching (RepOps, REFERENCE §2). */
  readonly reproducible: boolean;
  /** Data for `replicas` copies of a per-replica `shape`, replica dimension first. */
  upload(data: Float32Array, shape: Shape, replicas: number): T;
  /** The exact float32 values, replica dimension first. */
  download(value: T): Float32Array;
  /** Run one op node on inputs holding `replicas` copies each; shapes are per replica. */
  exec(node: GraphNode, inputShapes: readonly Shape[], inputs: readonly T[], replicas: number): T;
  /** Release a value no longer needed (no-op where memory is garbage collected). */
  dispose(value: T): void;
}

/** Options the application injects (core/ does no I/O, so it cannot locate files itself). */
export interface BackendOptions {
  /** tfjs-wasm: directory holding tfjs-backend-wasm*.wasm, ending in "/". */
  wasmDir?: string;
  /** webgpu: opens the Dawn device (the application's side, sim/ml/webgpuDevice.ts). */
  openWebgpu?: () => Promise<import("./backends/webgpu.ts").WebgpuChannel>;
}

export type BackendFactory = (options: BackendOptions) => Promise<Backend>;

// Built-in kinds; modules load on first use, so a repops-only run never loads tfjs.
const factories = new Map<string, BackendFactory>([
  ["repops", async () => (await import("./backends/repops.ts")).repopsBackend],
  // repops with another reduction order (GPU FMA chains, tree reductions): honest, not reproducible.
  ["repops-fma", async () => (await import("./backends/repopsVariant.ts")).createRepopsVariantBackend("fma")],
  ["repops-tree", async () => (await import("./backends/repopsVariant.ts")).createRepopsVariantBackend("tree")],
  ["tfjs-cpu", async (o) => (await import("./backends/tfjs.ts")).createTfjsBackend("cpu", o)],
  ["tfjs-wasm", async (o) => (await import("./backends/tfjs.ts")).createTfjsBackend("wasm", o)],
  ["webgpu", async (o) => (await import("./backends/webgpu.ts")).createWebgpuBackend(o)],
]);
const ready = new Map<string, Promise<Backend>>();

/** Add a backend kind (e.g. a future "webgpu") without touching callers. */
export function registerBackend(name: string, factory: BackendFactory): void {
  if (factories.has(name)) throw new ConfigError(`registerBackend: backend ${name} is already registered`);
  factories.set(name, factory);
}

/** Names of registered backends, sorted. */
export function backendNames(): string[] {
  return [...factories.keys()].sort();
}

let defaults: BackendOptions = {};

/**
 * Options every later getBackend() call starts from (the application sets them once, e.g.
 * sim/ml/backendOptions.ts configureMlBackends(), so workloads can ask by name alone).
 */
export function setBackendDefaults(options: BackendOptions): void {
  defaults = { ...options };
}

/**
 * The backend `name`, initialised once per process (tfjs-wasm loads its module asynchronously);
 * `options` override the defaults for that first initialisation.
 */
export function getBackend(name: string, options: BackendOptions = {}): Promise<Backend> {
  let p = ready.get(name);
  if (!p) {
    const f = factories.get(name);
    if (!f) return Promise.reject(new ConfigError(`unknown ML backend ${JSON.stringify(name)}; known: ${backendNames().join(", ")}`));
    p = f({ ...defaults, ...options });
    ready.set(name, p);
    p.catch(() => ready.delete(name));
  }
  return p;
}
