// Dawn's null backend hands out an adapter that computes nothing (all zeros): the adapter choice
// must refuse it with a message that says so (STACK: WebGPU without a GPU).
import { describe, expect, test } from "bun:test";
import { prepareDawnEnvironment } from "./webgpuDevice.ts";
import { dawnAttempts, describeAdapter, isNullAdapter, isSoftwareAdapterDescription, openDawnDevice, parseAdapterChoice } from "./dawnAdapter.ts";

describe("Dawn adapter choice", () => {
  test("Dawn's null-backend adapter is recognised and refused with a clear error", async () => {
    const { create } = await import("webgpu");
    const nullAdapter = await create(["backend=null"]).requestAdapter();
    expect(nullAdapter?.info.device).toBe("null-backend");
    expect(isNullAdapter(nullAdapter!)).toBe(true);
    await expect(openDawnDevice([[["backend=null"], {}]])).rejects.toThrow(/refused null-backend adapter .*returns zeros/);
  }, 30_000);

  test("GSIM_WEBGPU_ADAPTER: unset is auto (GPU, then llvmpipe); gpu and llvmpipe pick one; anything else is named", () => {
    expect([undefined, "", "auto", "gpu", "llvmpipe"].map(parseAdapterChoice)).toEqual(["auto", "auto", "auto", "gpu", "llvmpipe"]);
    expect(() => parseAdapterChoice("cuda")).toThrow('GSIM_WEBGPU_ADAPTER: expected one of auto, gpu, llvmpipe, got "cuda"');
    const backends = (c: "auto" | "gpu" | "llvmpipe") => dawnAttempts(c).map(([flags, , gpuOnly]) => `${flags.join(",") || "default"}${gpuOnly ? " (GPU only)" : ""}`);
    expect([backends("auto"), backends("gpu"), backends("llvmpipe")]).toEqual([["default (GPU only)", "backend=opengles"], ["default (GPU only)"], ["backend=opengles"]]);
  });

  test("software rasterisers are told apart from GPUs by their description", () => {
    expect(isSoftwareAdapterDescription("OpenGL version OpenGL ES 3.2 Mesa 22.3.6 / llvmpipe-llvm-15-0-6-256-bits-")).toBe(true);
    expect(isSoftwareAdapterDescription("Vulkan / llvmpipe (LLVM 15.0.6, 256 bits) / mesa")).toBe(true);
    expect(isSoftwareAdapterDescription("SwiftShader Device (Subzero) / google")).toBe(true);
    expect(isSoftwareAdapterDescription("NVIDIA H100 80GB HBM3 / nvidia / hopper")).toBe(false);
  });

  test("a GPU-only attempt refuses Mesa llvmpipe and says how to get it", async () => {
    prepareDawnEnvironment(); // EGL_PLATFORM=surfaceless, XDG_RUNTIME_DIR (what the worker's process gets)
    const [[flags, req]] = dawnAttempts("llvmpipe");
    const { adapter, device } = await openDawnDevice([[flags, req]]);
    expect(isSoftwareAdapterDescription(describeAdapter(adapter))).toBe(true); // this machine has no GPU: llvmpipe
    device.destroy();
    await expect(openDawnDevice([[flags, req, true]])).rejects.toThrow(/refused software adapter \(.*llvmpipe.*\): not a GPU.*GSIM_WEBGPU_ADAPTER=gpu takes a real GPU only/);
  }, 30_000);
});
