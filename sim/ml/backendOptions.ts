// The application side of the ML backend registry: locates the files core/ml may not look up
// itself (core/ does no I/O) and hands them to getBackend (DESIGN: Learning).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Backend, type BackendOptions, getBackend, setBackendDefaults } from "../../core/ml/backend.ts";
import { openWebgpuChannel } from "./webgpuDevice.ts";

const require = createRequire(import.meta.url);

/**
 * Options for every built-in backend: tfjs-wasm's binary directory (the package's dist/, ending
 * in "/"), and webgpu's device opener (Dawn in a worker, started only when webgpu is asked for).
 */
export function mlBackendOptions(): BackendOptions {
  const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  return { wasmDir: `${join(dirname(pkg), "dist")}/`, openWebgpu: openWebgpuChannel };
}

/** The backend `name` ("repops", "tfjs-cpu", "tfjs-wasm", ...), initialised and ready. */
export function loadMlBackend(name: string): Promise<Backend> {
  return getBackend(name, mlBackendOptions());
}

/** Make mlBackendOptions() the registry's defaults, so getBackend(name) works by name alone. */
export function configureMlBackends(): void {
  setBackendDefaults(mlBackendOptions());
}
