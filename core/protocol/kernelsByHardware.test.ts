// Kernels by hardware: which backend a node computes on, validated once for every workload.
import { describe, expect, test } from "bun:test";
import { repopsBackend } from "../ml/backends/repops.ts";
import { kernelFor, kernelsByHardwareSchema, loadKernels } from "./kernelsByHardware.ts";

describe("kernelsByHardwareSchema", () => {
  test("accepts known hardware and default, refuses an unknown hardware key naming it", () => {
    expect(kernelsByHardwareSchema.parse({ h100: "repops-fma", default: "repops" })).toEqual({ h100: "repops-fma", default: "repops" });
    const r = kernelsByHardwareSchema.safeParse({ h1000: "repops" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(["h1000"]);
    expect(r.error!.issues[0].message).toContain('unknown hardware "h1000"');
  });
});

describe("kernelFor and loadKernels", () => {
  test("entry, then default, then the fallback", async () => {
    const map = { rtx4090: "repops-fma", default: "tfjs-cpu" };
    const loaded = await loadKernels(map, "workload.backendByHardware");
    expect([...loaded.keys()].sort()).toEqual(["repops", "repops-fma", "tfjs-cpu"]);
    expect(kernelFor(map, loaded, "rtx4090", repopsBackend).name).toBe("repops-fma");
    expect(kernelFor(map, loaded, "h100", repopsBackend).name).toBe("tfjs-cpu");
    expect(kernelFor({ rtx4090: "repops-fma" }, loaded, "h100", repopsBackend)).toBe(repopsBackend);
  });

  test("a backend that does not exist is named with its key", async () => {
    await expect(loadKernels({ m2: "nope" }, "workload.backendByHardware")).rejects.toThrow(/^workload\.backendByHardware\.m2: .*nope/);
  });
});
