// The application side of the backend registry: after configureMlBackends(), tfjs-wasm is
// available by name alone (as workloads ask for ctx.backend).
import { describe, expect, test } from "bun:test";
import { getBackend } from "../../core/ml/backend.ts";
import { configureMlBackends, mlBackendOptions } from "./backendOptions.ts";

describe("ML backend options", () => {
  test("the wasm directory is the tfjs-backend-wasm package's dist/ and ends in a slash", () => {
    expect(mlBackendOptions().wasmDir).toMatch(/@tensorflow\/tfjs-backend-wasm\/dist\/$/);
  });
  test("after configureMlBackends, getBackend('tfjs-wasm') needs no options", async () => {
    configureMlBackends();
    const be = await getBackend("tfjs-wasm");
    expect(be.name).toBe("tfjs-wasm");
    expect(be.reproducible).toBe(false);
  }, 60_000);
});
