// Dawn adapter choice for the webgpu ML backend (runs inside sim/ml/webgpuWorker.ts): a real GPU if
// Dawn finds one, else Mesa llvmpipe through Dawn's OpenGL ES backend (GSIM_WEBGPU_ADAPTER picks
// one of the two); Dawn's null backend, which silently returns zeros, is always refused (STACK:
// WebGPU without a GPU). The device gets all of the adapter's limits (else Dawn defaults some to zero).
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

/** Whether an adapter description (describeAdapter) names a software rasteriser: Mesa llvmpipe/lavapipe/softpipe, SwiftShader. */
export function isSoftwareAdapterDescription(description: string): boolean {
  return /llvmpipe|lavapipe|softpipe|swiftshader/i.test(description);
}

/** A software rasteriser posing as a GPU: it runs on the CPU. */
export function isSoftwareAdapter(a: Adapter): boolean {
  return isSoftwareAdapterDescription(describeAdapter(a));
}

/** Dawn instance flags and adapter request, tried in order; `gpuOnly` refuses software adapters. */
export type DawnAttempt = [flags: string[], request: GPURequestAdapterOptions, gpuOnly?: boolean];

/**
 * Which adapter the webgpu backend takes (environment GSIM_WEBGPU_ADAPTER, DESIGN: Learning):
 * `auto` (default) a real GPU if Dawn finds one, else Mesa llvmpipe; `gpu` a real GPU or an error
 * (never a silent fall-back to the CPU); `llvmpipe` Mesa llvmpipe even where there is a GPU.
 */
export const ADAPTER_CHOICES = ["auto", "gpu", "llvmpipe"] as const;
export type AdapterChoice = (typeof ADAPTER_CHOICES)[number];

const REAL_GPU: DawnAttempt = [[], { powerPreference: "high-performance" }, true];
const LLVMPIPE: DawnAttempt = [["backend=opengles"], { featureLevel: "compatibility", backendType: "OpenGLES" } as GPURequestAdapterOptions];

/** The attempts for a choice, in order. */
export function dawnAttempts(choice: AdapterChoice): readonly DawnAttempt[] {
  return choice === "gpu" ? [REAL_GPU] : choice === "llvmpipe" ? [LLVMPIPE] : [REAL_GPU, LLVMPIPE];
}

/** A real GPU first; else Mesa llvmpipe through Dawn's OpenGL ES backend (STACK: WebGPU without a GPU). */
export const DAWN_ATTEMPTS: readonly DawnAttempt[] = dawnAttempts("auto");

/** GSIM_WEBGPU_ADAPTER's value as a choice (unset or empty: auto); anything else is an error naming the variable. */
export function parseAdapterChoice(value: string | undefined): AdapterChoice {
  if (value === undefined || value === "") return "auto";
  if ((ADAPTER_CHOICES as readonly string[]).includes(value)) return value as AdapterChoice;
  throw new Error(`GSIM_WEBGPU_ADAPTER: expected one of ${ADAPTER_CHOICES.join(", ")}, got ${JSON.stringify(value)}`);
}

/** The first usable adapter of `attempts` and a device with all of its limits; never a null backend. */
export async function openDawnDevice(attempts: readonly DawnAttempt[] = DAWN_ATTEMPTS): Promise<{ device: GPUDevice; adapter: Adapter; gpu: GPU }> {
  const { create, globals } = await import("webgpu");
  Object.assign(globalThis, globals); // GPUBuffer, GPUTexture, GPUBufferUsage... that tfjs reads
  const tried: string[] = [];
  for (const [flags, req, gpuOnly] of attempts) {
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
    if (gpuOnly && isSoftwareAdapter(adapter)) {
      tried.push(`${what}: refused software adapter (${describeAdapter(adapter)}): not a GPU`);
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
  const llvm = attempts.some(([, , gpuOnly]) => !gpuOnly);
  throw new Error(`no usable WebGPU adapter: ${tried.join("; ")}. ${llvm ? "Without a GPU, install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri (Mesa llvmpipe)." : "GSIM_WEBGPU_ADAPTER=gpu takes a real GPU only (Dawn's Vulkan, Metal or D3D12 driver); auto falls back to Mesa llvmpipe."}`);
}
