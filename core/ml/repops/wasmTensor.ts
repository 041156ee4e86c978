// A float32 tensor kept resident in the RepOps wasm memory, so chains of kernels skip the copies in and
// out (bench/ml-kernels.ts, CPU time: replica-batched small matmuls 1.5-3.4x faster resident; 512^3 ~5%).
import { RepOpsError } from "./repopsError.ts";
import { repopsArena } from "./repopsWasm.ts";

/**
 * Flat float32 storage in wasm memory. Pass it to kernels (kernels.ts) as an operand or as `out`;
 * copy data in and out with write()/read(). Call free() when done: nothing is garbage-collected.
 */
export class WasmTensor {
  readonly length: number;
  private ptrOrFreed: number;

  private constructor(length: number) {
    if (!Number.isSafeInteger(length) || length < 0) throw new RepOpsError(`WasmTensor length must be a non-negative integer, got ${length}`);
    this.length = length;
    this.ptrOrFreed = repopsArena().allocResident(length);
  }

  /** A resident tensor of `length` zeros. */
  static zeros(length: number): WasmTensor {
    const t = new WasmTensor(length);
    repopsArena().f32().fill(0, t.ptr / 4, t.ptr / 4 + length);
    return t;
  }

  /** A resident copy of `data`. */
  static from(data: Float32Array): WasmTensor {
    const t = new WasmTensor(data.length);
    t.write(data);
    return t;
  }

  /** Byte offset in wasm memory (throws once freed). */
  get ptr(): number {
    if (this.ptrOrFreed < 0) throw new RepOpsError("WasmTensor used after free()");
    return this.ptrOrFreed;
  }

  /** Copies `data` (same length) in. */
  write(data: Float32Array): void {
    if (data.length !== this.length) {
      throw new RepOpsError(`WasmTensor.write: data has ${data.length} elements, tensor has ${this.length}`);
    }
    repopsArena().f32().set(data, this.ptr / 4);
  }

  /** Copies the values out (into `out` when given). */
  read(out?: Float32Array): Float32Array {
    if (out && out.length !== this.length) throw new RepOpsError(`WasmTensor.read: out has ${out.length} elements, tensor has ${this.length}`);
    const dst = out ?? new Float32Array(this.length);
    dst.set(repopsArena().f32().subarray(this.ptr / 4, this.ptr / 4 + this.length));
    return dst;
  }

  /** Returns the memory; further use throws. Freeing twice throws. */
  free(): void {
    repopsArena().freeResident(this.ptr, this.length);
    this.ptrOrFreed = -1;
  }
}
