// Errors of the RepOps kernels: a tensor of the wrong size or an impossible shape, named with the values.
import { GsimError } from "../../errors.ts";

export class RepOpsError extends GsimError {
  override name = "RepOpsError";
}

/** Throws RepOpsError unless `data` (a Float32Array or WasmTensor) holds exactly `expected` floats. */
export function expectLength(op: string, what: string, data: { readonly length: number }, expected: number, shape: string): void {
  if (typeof data?.length !== "number") throw new RepOpsError(`${op}: ${what} must be a Float32Array or WasmTensor, got ${typeof data}`);
  if (data.length !== expected) {
    throw new RepOpsError(`${op}: ${what} has ${data.length} elements, expected ${expected}`, { details: `shape ${shape}` });
  }
}

/** Throws RepOpsError unless every named dimension is a positive safe integer. */
export function expectDims(op: string, dims: Record<string, number>): void {
  for (const [name, v] of Object.entries(dims)) {
    if (!Number.isSafeInteger(v) || v < 1) throw new RepOpsError(`${op}: ${name} must be a positive integer, got ${v}`);
  }
}
