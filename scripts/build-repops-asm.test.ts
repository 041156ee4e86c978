// The committed core/ml/repops/kernels.wasm.ts is exactly what asc builds from core/ml/repops/asm/assembly/ today, and uses no
// relaxed-SIMD (non-deterministic) instructions.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { KERNELS_WASM_BASE64 } from "../core/ml/repops/kernels.wasm.ts";
import { ASC, buildKernelsWasm, kernelsWasmSource, OUTPUT } from "./build-repops-asm.ts";

describe("kernels.wasm.ts", () => {
  test("matches a fresh asc build and has no relaxed-SIMD instructions", () => {
    const built = buildKernelsWasm();
    // assemblyscript is a devDependency: its absence is an install problem, not a reason to skip.
    if (!built) throw new Error(`asc not found at ${ASC}: run npm install`);
    expect(Buffer.from(built.bytes).toString("base64")).toBe(KERNELS_WASM_BASE64);
    expect(readFileSync(OUTPUT, "utf8")).toBe(kernelsWasmSource(built.bytes));
    expect(built.text).toContain("f32x4.mul");
    expect(built.text).not.toMatch(/relaxed|madd|nmadd/);
  }, 60_000);
  test("the committed module validates, imports nothing and exports the kernels", () => {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, "base64");
    expect(WebAssembly.validate(bytes)).toBe(true);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const k of ["memory", "matmul", "softmaxRows", "layerNorm", "layerNormGrad", "adamw", "gelu"]) expect(names).toContain(k);
  });
});
