// Worker thread holding the WebGPU device for the "webgpu" ML backend (core/ml/backends/webgpu.ts):
// Dawn (npm `webgpu`) + tfjs-backend-webgpu. GPU readbacks complete only when this thread's event
// loop runs, so the device lives here and the main thread blocks on a SharedArrayBuffer for
// downloads (sim/ml/webgpuDevice.ts). Ops run through the same tfjs op code as tfjs-cpu.
import * as tf from "@tensorflow/tfjs";
import type { GraphNode } from "../../core/ml/graph.ts";
import { run } from "../../core/ml/backends/tfjs.ts";
import { describeAdapter, openDawnDevice } from "./dawnAdapter.ts";
import { HEADER_BYTES, type WorkerReady, type WorkerRequest } from "./webgpuDevice.ts";

async function start(): Promise<void> {
  const { device, adapter, gpu } = await openDawnDevice();
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as object;
  Object.defineProperty(nav, "gpu", { value: gpu, configurable: true }); // tfjs-webgpu checks navigator.gpu
  const { WebGPUBackend } = await import("@tensorflow/tfjs-backend-webgpu");
  tf.enableProdMode();
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
  tf.registerBackend("webgpu", () => new WebGPUBackend(device, adapter.info as never));
  if (!(await tf.setBackend("webgpu"))) throw new Error("tfjs-backend-webgpu failed to initialise on the Dawn device");
  await tf.ready();
  let lost: string | null = null;
  void device.lost.then((i) => (lost = `WebGPU device lost: ${i.message}`));

  const tensors = new Map<number, tf.Tensor>();
  let failure: string | null = null; // first failed request; reported at the next download
  const get = (id: number): tf.Tensor => {
    const t = tensors.get(id);
    if (!t) throw new Error(`tensor handle ${id} is unknown (disposed or never made)`);
    return t;
  };
  const handle = async (m: WorkerRequest): Promise<void> => {
    if (m.type === "download") {
      const ctrl = new Int32Array(m.sab, 0, 2);
      try {
        const f = failure ?? lost;
        failure = null; // reported once; later requests run again
        if (f) throw new Error(f);
        const data = (await get(m.id).data()) as Float32Array;
        new Float32Array(m.sab, HEADER_BYTES, data.length).set(data);
        ctrl[0] = 1;
      } catch (e) {
        const bytes = new TextEncoder().encode(e instanceof Error ? e.message : String(e)).slice(0, m.sab.byteLength - HEADER_BYTES);
        new Uint8Array(m.sab, HEADER_BYTES).set(bytes);
        ctrl[1] = bytes.length;
        ctrl[0] = 2;
      }
      Atomics.notify(ctrl, 0);
      return;
    }
    if (failure) return;
    try {
      if (m.type === "upload") tensors.set(m.id, tf.tensor(m.data, m.shape, "float32"));
      else if (m.type === "dispose") {
        tensors.get(m.id)?.dispose();
        tensors.delete(m.id);
      } else {
        const xs = m.inputs.map(get);
        tensors.set(m.id, tf.tidy(() => run("cpu", m.node as GraphNode, m.shapes, xs, m.replicas)));
      }
    } catch (e) {
      failure = `${m.type === "exec" ? `op ${m.node.op} (node ${m.node.id})` : m.type}: ${e instanceof Error ? e.message : String(e)}`;
    }
  };
  let queue = Promise.resolve();
  const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null };
  scope.onmessage = (e) => {
    queue = queue.then(() => handle(e.data));
  };
  postMessage({ type: "ready", adapter: describeAdapter(adapter) } satisfies WorkerReady);
}

start().catch((e) => postMessage({ type: "failed", message: e instanceof Error ? e.message : String(e) } satisfies WorkerReady));
