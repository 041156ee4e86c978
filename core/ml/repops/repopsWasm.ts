// The RepOps WebAssembly module (kernels.wasm.ts), instantiated on first use, and a scratch arena in
// its linear memory: inputs are copied in, kernels run, outputs are copied out (REFERENCE §2).
import { KERNELS_WASM_BASE64 } from "./kernels.wasm.ts";
import { RepOpsError } from "./repopsError.ts";

/** Raw exports of asm/assembly/index.ts: pointers are byte offsets into `memory`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  matmul(a: number, b: number, c: number, m: number, k: number, n: number, batch: number,
    strideA: number, strideB: number, transA: number, transB: number, work: number): void;
  matmulWorkFloats(m: number, k: number, n: number): number;
  binary(op: number, a: number, b: number, out: number, n: number): void;
  scale(x: number, s: number, out: number, n: number): void;
  axpy(alpha: number, x: number, y: number, out: number, n: number): void;
  addBias(x: number, bias: number, out: number, batch: number, rows: number, cols: number, biasStride: number): void;
  relu(x: number, out: number, n: number): void;
  reluGrad(x: number, dy: number, out: number, n: number): void;
  gelu(x: number, out: number, n: number): void;
  geluGrad(x: number, dy: number, out: number, n: number): void;
  softmaxRows(x: number, out: number, rows: number, cols: number): void;
  logSoftmaxRows(x: number, out: number, rows: number, cols: number): void;
  softmaxRowsGrad(y: number, dy: number, out: number, rows: number, cols: number): void;
  sumRows(x: number, out: number, rows: number, cols: number): void;
  sumCols(x: number, out: number, batch: number, rows: number, cols: number): void;
  layerNorm(x: number, gamma: number, beta: number, out: number, mean: number, rstd: number,
    batch: number, rows: number, d: number, paramStride: number, eps: number): void;
  layerNormGrad(dy: number, x: number, gamma: number, mean: number, rstd: number, dx: number, dgamma: number,
    dbeta: number, batch: number, rows: number, d: number, paramStride: number): void;
  adamw(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, c1: number,
    c2: number, eps: number, lrwd: number, bc1: number, bc2: number): void;
  exp64(x: number): number;
  tanh64(x: number): number;
  log64(x: number): number;
  /** Test hook: two-lane exp (which 0) or tanh (which 1) over a float64 array of even length. */
  mapF64x2(which: number, x: number, out: number, n: number): void;
}

const PAGE = 65536;
const MAX_BYTES = 65536 * PAGE;
/** The module has no data segment; the arena starts after the first page to be safe. */
const ARENA_BASE = PAGE;

/**
 * The module's memory: resident blocks (WasmTensor) from ARENA_BASE up to `residentTop`, managed with a
 * first-fit free list, and above them a bump-allocated scratch region, emptied before every kernel call.
 */
export class Arena {
  readonly exports: KernelExports;
  private top = ARENA_BASE;
  private residentTop = ARENA_BASE;
  /** Free resident blocks [ptr, bytes], sorted by ptr, never adjacent (coalesced). */
  private readonly free: [number, number][] = [];
  private view: Float32Array;

  constructor(exports: KernelExports) {
    this.exports = exports;
    this.view = new Float32Array(exports.memory.buffer);
  }

  /** Forget every scratch allocation (the memory stays grown; resident blocks stay). */
  reset(): void {
    this.top = this.residentTop;
  }

  /** Room for `floats` float32 values of scratch, 16-byte aligned; returns its byte offset. */
  alloc(floats: number): number {
    const ptr = this.top;
    this.top = ptr + bytesFor(floats);
    this.ensure(this.top);
    return ptr;
  }

  /** A resident block for `floats` values that lives until freeResident (first fit, else at the top). */
  allocResident(floats: number): number {
    const bytes = bytesFor(floats);
    for (let i = 0; i < this.free.length; i++) {
      const [ptr, size] = this.free[i];
      if (size < bytes) continue;
      if (size === bytes) this.free.splice(i, 1);
      else this.free[i] = [ptr + bytes, size - bytes];
      return ptr;
    }
    const ptr = this.residentTop;
    this.ensure(ptr + bytes);
    this.residentTop = ptr + bytes;
    this.top = Math.max(this.top, this.residentTop);
    return ptr;
  }

  /** Returns a resident block (pointer and size as allocated) to the free list. */
  freeResident(ptr: number, floats: number): void {
    let start = ptr;
    let bytes = bytesFor(floats);
    let i = 0;
    while (i < this.free.length && this.free[i][0] < start) i++;
    if (i > 0 && this.free[i - 1][0] + this.free[i - 1][1] === start) {
      i--;
      start = this.free[i][0];
      bytes += this.free[i][1];
      this.free.splice(i, 1);
    }
    if (i < this.free.length && start + bytes === this.free[i][0]) {
      bytes += this.free[i][1];
      this.free.splice(i, 1);
    }
    if (start + bytes === this.residentTop) this.residentTop = start;
    else this.free.splice(i, 0, [start, bytes]);
  }

  /** Bytes held by resident blocks now (for tests and accounting). */
  residentBytes(): number {
    return this.residentTop - ARENA_BASE - this.free.reduce((s, [, b]) => s + b, 0);
  }

  private ensure(end: number): void {
    const mem = this.exports.memory;
    if (end <= mem.buffer.byteLength) return;
    try {
      // wasm32 addresses stop at 4 GiB (engines may allow less); never let grow() wrap around.
      if (end > MAX_BYTES) throw new RangeError(`${end} bytes exceed the 4 GiB wasm32 address space`);
      mem.grow(Math.ceil((end - mem.buffer.byteLength) / PAGE));
    } catch (cause) {
      throw new RepOpsError(`RepOps wasm memory cannot grow to ${end} bytes`, {
        details: "resident tensors plus one kernel call's operands, result and scratch must fit in 4 GiB of wasm32 memory; split the batch",
        cause,
      });
    }
  }

  /** Copies `data` into fresh room; returns its byte offset. */
  put(data: Float32Array): number {
    const ptr = this.alloc(data.length);
    this.f32().set(data, ptr / 4);
    return ptr;
  }

  /** Copies `n` floats at `ptr` out into `out` (or a new array). */
  take(ptr: number, n: number, out?: Float32Array): Float32Array {
    const dst = out ?? new Float32Array(n);
    dst.set(this.f32().subarray(ptr / 4, ptr / 4 + n));
    return dst;
  }

  /** A float32 view of the whole memory (renewed after the memory grows). */
  f32(): Float32Array {
    if (this.view.buffer !== this.exports.memory.buffer) this.view = new Float32Array(this.exports.memory.buffer);
    return this.view;
  }
}

/** 16-byte-aligned size of `floats` float32 values (arithmetic, not int32 bit tricks: sizes may pass 2 GiB). */
function bytesFor(floats: number): number {
  return Math.ceil(floats / 4) * 16;
}

let arena: Arena | undefined;

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The module's arena, instantiating the module on first use (synchronously). */
export function repopsArena(): Arena {
  if (!arena) {
    const module = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
    const instance = new WebAssembly.Instance(module, {});
    arena = new Arena(instance.exports as unknown as KernelExports);
  }
  return arena;
}

/** The arena with its scratch region emptied for a new kernel call. */
export function beginKernelCall(): Arena {
  const a = repopsArena();
  a.reset();
  return a;
}
