// Dawn adapter choice for the webgpu ML backend (runs inside sim/ml/webgpuWorker.ts): a real GPU if
// Dawn finds one, else Mesa llvmpipe through Dawn's OpenGL ES backend; Dawn's null backend, which
// silently returns zeros, is always refused (STACK: WebGPU without a GPU). The device gets all of
// the adapter's limits (else Dawn defaults some to zero).
export type Adapter = NonNullable<Awaited<ReturnType<GPU["requestAdapter"]>>>;

/** Human-readable adapter identity, e.g. "OpenGL version OpenGL ES 3.2 Mesa ... / llvmpipe-...". */
export function describeAdapter(a: Adapter): string {
  const i = a.info;
  return [i.description, i.device, i.vendor, i.architecture].filter((s) => s).join(" / ");
}

/** Dawn's null backend computes nothing (all zeros, STACK: WebGPU without a GPU): never use it. */
export function isNullAdapter(a: Adapter): boolean {
  return /null/i.test(`${a.info.device} ${a.info.description}`);
}

/** Dawn instance flags and adapter request, tried in order. */
export type DawnAttempt = [flags: string[], request: GPURequestAdapterOptions];

/** A real GPU first; else Mesa llvmpipe through Dawn's OpenGL ES backend (STACK: WebGPU without a GPU). */
export const DAWN_ATTEMPTS: readonly DawnAttempt[] = [
  [[], { powerPreference: "high-performance" }],
  [["backend=opengles"], { featureLevel: "compatibility", backendType: "OpenGLES" } as GPURequestAdapterOptions],
];

/** The first usable adapter of `attempts` and a device with all of its limits; never a null backend. */
export async function openDawnDevice(attempts: readonly DawnAttempt[] = DAWN_ATTEMPTS): Promise<{ device: GPUDevice; adapter: Adapter; gpu: GPU }> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals); // GPUBuffer, GPUTexture, GPUBufferUsage... that tfjs reads
  const tried: string[] = [];
  for (const [flags, req] of attempts) {
    const gpu = create(flags);
    const adapter = await gpu.requestAdapter(req);
    const what = `Dawn [${flags.join(",")}] requestAdapter(${JSON.stringify(req)})`;
    if (!adapter) {
      tried.push(`${what}: no adapter`);
      continue;
    }
    if (isNullAdapter(adapter)) {
      tried.push(`${what}: refused null-backend adapter (${describeAdapter(adapter)}): it returns zeros`);
      continue;
    }
    // All of the adapter's limits, else Dawn defaults some to zero (STACK: WebGPU without a GPU).
    const requiredLimits: Record<string, number> = {};
    for (const k in adapter.limits) {
      const v = (adapter.limits as unknown as Record<string, unknown>)[k];
      if (typeof v === "number") requiredLimits[k] = v;
    }
    const device = await adapter.requestDevice({ requiredLimits });
    return { device, adapter, gpu };
  }
  throw new Error(`no usable WebGPU adapter: ${tried.join("; ")}. Without a GPU, install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri (Mesa llvmpipe).`);
}
