// "webgpu" backend: tfjs's WebGPU backend on Dawn (a real GPU where there is one; Mesa llvmpipe
// through Dawn's OpenGL ES backend otherwise; DESIGN: Learning). NOT reproducible. The GPU device
// lives where the application put it (sim/ml/webgpuDevice.ts runs it in a worker thread, whose
// event loop completes GPU readbacks); this backend only talks to it through the injected
// WebgpuChannel, so core/ does no I/O and never loads Dawn. Values are handles to tensors held
// on the device side; exec and dispose are fire-and-forget, download blocks until the data is back.
import { ConfigError } from "../../errors.ts";
import type { Backend, BackendOptions } from "../backend.ts";
import type { GraphNode } from "../graph.ts";
import { type Shape, sizeOf } from "../tensor.ts";

/** The op fields the device side needs (a plain, structured-cloneable copy of a GraphNode). */
export type WebgpuNode = Pick<GraphNode, "id" | "op" | "attrs" | "shape">;

/** Messages to the device side, in order. `id`s are the client's tensor handles. */
export type WebgpuRequest =
  | { type: "upload"; id: number; data: Float32Array; shape: number[] }
  | { type: "exec"; id: number; node: WebgpuNode; shapes: Shape[]; inputs: number[]; replicas: number }
  | { type: "dispose"; id: number };

/**
 * Where the device side's ops ran, counted since the device opened (DESIGN: Learning): every exec
 * should be GPU work, never tfjs-backend-webgpu's CPU forwarding of small tensors.
 */
export interface WebgpuStats {
  /** tfjs-backend-webgpu's WEBGPU_CPU_FORWARD flag as the device side set it (false: small ops stay on the GPU). */
  cpuForwardFlag: boolean;
  /** exec requests run. */
  execs: number;
  /** GPU compute dispatches recorded (runWebGPUProgram calls); reshapes and identities dispatch none. */
  dispatches: number;
  /** Dispatches per op name. */
  dispatchesByOp: Record<string, number>;
  /** Times a kernel asked to run on the CPU and was allowed to (shouldExecuteOnCPU returned true). */
  cpuForwards: number;
  /** Ops (name and node id, first 20) whose result was not left in a GPU buffer, i.e. computed off the GPU. */
  offGpu: string[];
}

/** The application's connection to a WebGPU device running tfjs-backend-webgpu. */
export interface WebgpuChannel {
  /** Adapter description, e.g. "OpenGL ES 3.2 Mesa 22.3.6 (llvmpipe ...)"; never a null backend. */
  readonly adapter: string;
  /** Queue a request (processed in order). */
  send(request: WebgpuRequest): void;
  /** The `size` float32 values of tensor `id`, after all earlier requests ran; throws the device's error if one failed. */
  download(id: number, size: number): Float32Array;
  /** Where the ops ran so far (after all earlier requests), where the device side counts it. */
  stats?(): WebgpuStats;
}

/** A tensor held on the device side. */
export interface WebgpuValue {
  readonly id: number;
  readonly size: number;
}

/** Create the webgpu backend on the application's channel (options.openWebgpu, e.g. sim/ml/backendOptions.ts). */
export async function createWebgpuBackend(options: BackendOptions): Promise<Backend<WebgpuValue>> {
  if (!options.openWebgpu) throw new ConfigError("webgpu backend needs options.openWebgpu (the application opens the Dawn device, e.g. sim/ml/backendOptions.ts)");
  const ch = await options.openWebgpu();
  let next = 1;
  return {
    name: "webgpu",
    reproducible: false,
    upload(data, shape, replicas) {
      const v = { id: next++, size: sizeOf(shape) * replicas };
      if (data.length !== v.size) throw new ConfigError(`webgpu upload: ${data.length} values for ${replicas} x [${shape.join(",")}]`);
      ch.send({ type: "upload", id: v.id, data: data.slice(), shape: [replicas, ...shape] });
      return v;
    },
    download: (value) => ch.download(value.id, value.size),
    exec(node, inputShapes, inputs, replicas) {
      const v = { id: next++, size: sizeOf(node.shape) * replicas };
      const n: WebgpuNode = { id: node.id, op: node.op, attrs: node.attrs, shape: node.shape };
      ch.send({ type: "exec", id: v.id, node: n, shapes: inputShapes.map((s) => [...s]), inputs: inputs.map((x) => x.id), replicas });
      return v;
    },
    dispose: (value) => ch.send({ type: "dispose", id: value.id }),
  };
}
