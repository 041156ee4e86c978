// Opens the Dawn WebGPU device for the "webgpu" ML backend (the application side: environment,
// worker thread, native addon; core/ml/backends/webgpu.ts only sees the WebgpuChannel). Without a
// GPU, Dawn's OpenGL ES backend runs on Mesa llvmpipe, which needs EGL_PLATFORM=surfaceless and a
// writable XDG_RUNTIME_DIR (STACK: WebGPU without a GPU). One device per process; a process that
// opened it must end with process.exit() (sim/cli.ts does).
import { accessSync, constants, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../core/errors.ts";
import type { WebgpuChannel, WebgpuRequest, WebgpuStats } from "../../core/ml/backends/webgpu.ts";
import { type AdapterChoice, isSoftwareAdapterDescription, parseAdapterChoice } from "./dawnAdapter.ts";

/** Main thread -> worker: first the adapter choice, then queued requests; downloads and stats are answered through `sab`. */
export type WorkerRequest =
  | WebgpuRequest
  | { type: "open"; adapter: AdapterChoice }
  | { type: "download"; id: number; sab: SharedArrayBuffer }
  | { type: "stats"; sab: SharedArrayBuffer };
/** Worker -> main thread, once: the device is ready (adapter description) or why it is not. */
export type WorkerReady = { type: "ready"; adapter: string } | { type: "failed"; message: string };
/** Download/stats answer layout: Int32 [state (0 pending, 1 done, 2 error), payload or error byte length], then the payload. */
export const HEADER_BYTES = 8;
/** A download that takes longer than this means the worker died. */
const DOWNLOAD_TIMEOUT_MS = 600_000;

function writable(dir: string | undefined): boolean {
  if (!dir) return false;
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Set an environment variable where native code (Mesa's getenv) sees it: Bun's process.env does not reach libc. */
function setNativeEnv(name: string, value: string): void {
  process.env[name] = value;
  // Loaded here, not imported: a bundle of sim/ for Node (the cross-runtime scenario test) must load without bun:ffi.
  const { FFIType, dlopen, ptr } = createRequire(import.meta.url)("bun:ffi") as typeof import("bun:ffi");
  const libc = dlopen("libc.so.6", { setenv: { args: [FFIType.cstring, FFIType.cstring, FFIType.i32], returns: FFIType.i32 } });
  const z = (s: string) => Buffer.from(`${s}\0`);
  libc.symbols.setenv(ptr(z(name)), ptr(z(value)), 1);
  libc.close();
}

/** EGL_PLATFORM=surfaceless and a writable XDG_RUNTIME_DIR unless the user set them (Mesa llvmpipe through EGL). */
export function prepareDawnEnvironment(): void {
  if (process.platform !== "linux") return;
  if (!process.env.EGL_PLATFORM) setNativeEnv("EGL_PLATFORM", "surfaceless");
  if (!writable(process.env.XDG_RUNTIME_DIR)) {
    // One private directory per user, reused by every run (a fresh temp dir per process piled up).
    const dir = join(tmpdir(), `gsim-xdg-${process.getuid?.() ?? "user"}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    setNativeEnv("XDG_RUNTIME_DIR", dir);
  }
}

let opened: Promise<WebgpuChannel> | null = null;

/** The process's WebGPU channel (worker + device started on first call). Rejects with the adapter problem. */
export function openWebgpuChannel(): Promise<WebgpuChannel> {
  opened ??= openChannel();
  opened.catch(() => (opened = null));
  return opened;
}

async function openChannel(): Promise<WebgpuChannel> {
  let choice: AdapterChoice;
  try {
    choice = parseAdapterChoice(process.env.GSIM_WEBGPU_ADAPTER);
  } catch (e) {
    throw new ConfigError(`webgpu backend: ${(e as Error).message}`);
  }
  prepareDawnEnvironment();
  const worker = new Worker(new URL("./webgpuWorker.ts", import.meta.url).href);
  const ready = await new Promise<WorkerReady>((resolve) => {
    worker.onmessage = (e: MessageEvent<WorkerReady>) => resolve(e.data);
    worker.onerror = (e) => resolve({ type: "failed", message: e.message });
    worker.postMessage({ type: "open", adapter: choice } satisfies WorkerRequest);
  });
  if (ready.type === "failed") {
    worker.terminate();
    throw new ConfigError(`webgpu backend: ${ready.message}`);
  }
  worker.unref(); // the device must not keep a finished process alive
  // One line at start, on stderr (stdout stays the run's output): which adapter computes, and whether it is a GPU.
  const what = isSoftwareAdapterDescription(ready.adapter) ? "software rasteriser on the CPU, not a GPU" : "GPU";
  console.error(`webgpu backend: ${ready.adapter} (${what}; GSIM_WEBGPU_ADAPTER=${choice})`);
  const post = (m: WorkerRequest) => worker.postMessage(m);
  /** Post `m` (which carries `sab`) and block until the worker answers; the answer's bytes. */
  const ask = (m: WorkerRequest & { sab: SharedArrayBuffer }, what: string): Uint8Array => {
    const ctrl = new Int32Array(m.sab, 0, 2);
    post(m);
    if (Atomics.wait(ctrl, 0, 0, DOWNLOAD_TIMEOUT_MS) === "timed-out") throw new ConfigError(`webgpu backend: ${what} timed out (worker gone?)`);
    if (ctrl[0] === 2) throw new ConfigError(`webgpu backend: ${new TextDecoder().decode(new Uint8Array(m.sab, HEADER_BYTES, ctrl[1]).slice())}`);
    return new Uint8Array(m.sab, HEADER_BYTES, ctrl[1]);
  };
  return {
    adapter: ready.adapter,
    send: post,
    download(id, size) {
      const sab = new SharedArrayBuffer(HEADER_BYTES + Math.max(4 * size, 4096));
      ask({ type: "download", id, sab }, `download of tensor ${id}`);
      return new Float32Array(sab, HEADER_BYTES, size).slice();
    },
    stats() {
      const sab = new SharedArrayBuffer(HEADER_BYTES + 65536);
      return JSON.parse(new TextDecoder().decode(ask({ type: "stats", sab }, "stats").slice())) as WebgpuStats;
    },
  };
}
