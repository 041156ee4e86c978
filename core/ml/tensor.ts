// Float32 tensors and shape helpers for the core/ml graph IR (DESIGN: Learning).
import { ConfigError } from "../errors.ts";

/** A tensor shape, outermost dimension first. [] is a scalar (one element). */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeEq(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** true when `b` equals the trailing dimensions of `a` (b broadcasts over a's leading dims). */
export function isSuffix(a: Shape, b: Shape): boolean {
  if (b.length > a.length) return false;
  const off = a.length - b.length;
  for (let i = 0; i < b.length; i++) if (a[off + i] !== b[i]) return false;
  return true;
}

export function shapeStr(s: Shape): string {
  return `[${s.join(",")}]`;
}

export function checkShape(shape: Shape, where: string): Shape {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d <= 0) throw new ConfigError(`${where}: bad shape ${shapeStr(shape)}: dimensions must be positive integers`);
  }
  return shape;
}

/** A float32 tensor: a shape and its row-major data. */
export class Tensor {
  readonly shape: Shape;
  readonly data: Float32Array;
  constructor(shape: Shape, data?: Float32Array) {
    this.shape = checkShape(shape, "Tensor");
    const n = sizeOf(shape);
    if (data && data.length !== n) throw new ConfigError(`Tensor: data has ${data.length} elements, shape ${shapeStr(shape)} needs ${n}`);
    this.data = data ?? new Float32Array(n);
  }
  get size(): number {
    return this.data.length;
  }
  static from(shape: Shape, values: ArrayLike<number>): Tensor {
    return new Tensor(shape, Float32Array.from(values));
  }
}
