// Worker thread holding the WebGPU device for the "webgpu" ML backend (core/ml/backends/webgpu.ts):
// Dawn (npm `webgpu`) + tfjs-backend-webgpu. GPU readbacks complete only when this thread's event
// loop runs, so the device lives here and the main thread blocks on a SharedArrayBuffer for
// downloads (sim/ml/webgpuDevice.ts). Ops run through the same tfjs op code as tfjs-cpu.
//
// Every op runs on the GPU: tfjs-backend-webgpu by default hands ops on small tensors (< 1000
// elements, not yet on the GPU) to its CPU kernels (flag WEBGPU_CPU_FORWARD, STACK: Checked later);
// the flag is turned off here and uploads go straight into GPU buffers. The worker counts GPU
// dispatches, CPU forwards and results left off the GPU (WebgpuStats) so tests can check it.
import * as tf from "@tensorflow/tfjs";
import type { WebGPUBackend as WebGPUBackendT } from "@tensorflow/tfjs-backend-webgpu";
import type { WebgpuStats } from "../../core/ml/backends/webgpu.ts";
import type { GraphNode } from "../../core/ml/graph.ts";
import { run } from "../../core/ml/backends/tfjs.ts";
import { type AdapterChoice, dawnAttempts, describeAdapter, openDawnDevice } from "./dawnAdapter.ts";
import { HEADER_BYTES, type WorkerReady, type WorkerRequest } from "./webgpuDevice.ts";

const MAX_OFF_GPU = 20;

async function start(choice: AdapterChoice): Promise<void> {
  const { device, adapter, gpu } = await openDawnDevice(dawnAttempts(choice));
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as object;
  Object.defineProperty(nav, "gpu", { value: gpu, configurable: true }); // tfjs-webgpu checks navigator.gpu
  const { WebGPUBackend } = await import("@tensorflow/tfjs-backend-webgpu");
  tf.enableProdMode();
  tf.env().set("WEBGPU_CPU_FORWARD", false); // registered by the import above; read on every op
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
  let backend: WebGPUBackendT | null = null;
  tf.registerBackend("webgpu", () => (backend = new WebGPUBackend(device, adapter.info as never)));
  if (!(await tf.setBackend("webgpu")) || !backend) throw new Error("tfjs-backend-webgpu failed to initialise on the Dawn device");
  await tf.ready();
  const be: WebGPUBackendT = backend;
  let lost: string | null = null;
  void device.lost.then((i) => (lost = `WebGPU device lost: ${i.message}`));

  // Where ops run: count dispatches and allowed CPU forwards through the backend's own entry points.
  const stats: WebgpuStats = { cpuForwardFlag: tf.env().getBool("WEBGPU_CPU_FORWARD"), execs: 0, dispatches: 0, dispatchesByOp: {}, cpuForwards: 0, offGpu: [] };
  let currentOp = "";
  const runProgram = be.runWebGPUProgram.bind(be);
  be.runWebGPUProgram = (...args: Parameters<WebGPUBackendT["runWebGPUProgram"]>) => {
    stats.dispatches++;
    stats.dispatchesByOp[currentOp] = (stats.dispatchesByOp[currentOp] ?? 0) + 1;
    return runProgram(...args);
  };
  const onCpu = be.shouldExecuteOnCPU.bind(be);
  be.shouldExecuteOnCPU = (...args: Parameters<WebGPUBackendT["shouldExecuteOnCPU"]>) => {
    const r = onCpu(...args);
    if (r) stats.cpuForwards++;
    return r;
  };
  /** Whether tensor `t`'s data sits in a GPU buffer (not CPU values). */
  const onGpu = (t: tf.Tensor) => be.tensorMap.get(t.dataId)?.resource != null;

  const tensors = new Map<number, tf.Tensor>();
  let failure: string | null = null; // first failed request; reported at the next download
  const get = (id: number): tf.Tensor => {
    const t = tensors.get(id);
    if (!t) throw new Error(`tensor handle ${id} is unknown (disposed or never made)`);
    return t;
  };
  /** Answer a blocking request (download, stats) through its SharedArrayBuffer: payload bytes, or the error. */
  const answer = async (sab: SharedArrayBuffer, body: () => Promise<void>): Promise<void> => {
    const ctrl = new Int32Array(sab, 0, 2);
    try {
      await body();
      ctrl[0] = 1;
    } catch (e) {
      const bytes = new TextEncoder().encode(e instanceof Error ? e.message : String(e)).slice(0, sab.byteLength - HEADER_BYTES);
      new Uint8Array(sab, HEADER_BYTES).set(bytes);
      ctrl[1] = bytes.length;
      ctrl[0] = 2;
    }
    Atomics.notify(ctrl, 0);
  };
  const handle = async (m: WorkerRequest): Promise<void> => {
    if (m.type === "open") return;
    if (m.type === "download") {
      return answer(m.sab, async () => {
        const f = failure ?? lost;
        failure = null; // reported once; later requests run again
        if (f) throw new Error(f);
        const data = (await get(m.id).data()) as Float32Array;
        new Float32Array(m.sab, HEADER_BYTES, data.length).set(data);
      });
    }
    if (m.type === "stats") {
      return answer(m.sab, async () => {
        const bytes = new TextEncoder().encode(JSON.stringify(stats));
        if (bytes.length > m.sab.byteLength - HEADER_BYTES) throw new Error(`stats of ${bytes.length} bytes do not fit the answer buffer`);
        new Uint8Array(m.sab, HEADER_BYTES).set(bytes);
        new Int32Array(m.sab, 0, 2)[1] = bytes.length;
      });
    }
    if (failure) return;
    try {
      if (m.type === "upload") {
        const t = tf.tensor(m.data, m.shape, "float32");
        be.uploadToGPU(t.dataId); // into a GPU buffer now: no op ever sees CPU-resident inputs
        tensors.set(m.id, t);
      } else if (m.type === "dispose") {
        tensors.get(m.id)?.dispose();
        tensors.delete(m.id);
      } else {
        const xs = m.inputs.map(get);
        currentOp = m.node.op;
        stats.execs++;
        const out = tf.tidy(() => run("cpu", m.node as GraphNode, m.shapes, xs, m.replicas));
        if (!onGpu(out) && stats.offGpu.length < MAX_OFF_GPU) stats.offGpu.push(`${m.node.op} (node ${m.node.id})`);
        tensors.set(m.id, out);
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

// The first message is the adapter choice (GSIM_WEBGPU_ADAPTER, read by the main thread).
const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null };
scope.onmessage = (e) => {
  const m = e.data;
  if (m.type !== "open") return postMessage({ type: "failed", message: `expected the open message first, got ${m.type}` } satisfies WorkerReady);
  scope.onmessage = null;
  start(m.adapter).catch((err) => postMessage({ type: "failed", message: err instanceof Error ? err.message : String(err) } satisfies WorkerReady));
};
