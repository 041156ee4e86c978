// Dawn's null backend hands out an adapter that computes nothing (all zeros): the adapter choice
// must refuse it with a message that says so (STACK: WebGPU without a GPU).
import { describe, expect, test } from "bun:test";
import { isNullAdapter, openDawnDevice } from "./dawnAdapter.ts";

describe("Dawn adapter choice", () => {
  test("Dawn's null-backend adapter is recognised and refused with a clear error", async () => {
    const { create } = await import("webgpu");
    const nullAdapter = await create(["backend=null"]).requestAdapter();
    expect(nullAdapter?.info.device).toBe("null-backend");
    expect(isNullAdapter(nullAdapter!)).toBe(true);
    await expect(openDawnDevice([[["backend=null"], {}]])).rejects.toThrow(/refused null-backend adapter .*returns zeros/);
  }, 30_000);
});
