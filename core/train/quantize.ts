// Few-bit quantization of outer gradients (REFERENCE §5, Streaming DiLoCo: 4-bit outer gradients).
// Two formats, one float32 scale per block of values:
// - "int": symmetric uniform, scale = max|x| / (2^(bits-1) - 1), q = round(x / scale).
// - "e3m0": the paper's FP4 E3M0, sign + 3 exponent bits and no mantissa: magnitudes 0 and
//   2^-6 .. 2^0 times the block's max|x| (exponent code 0 = zero), rounded to the nearest
//   magnitude, ties away from zero.
import { twoPow } from "../des/math.ts";
import { ConfigError } from "../errors.ts";

/** Bytes on the wire for n values at `bits` each plus one float32 scale per block. */
export function quantizedBytes(n: number, bits: number, blockSize: number): number {
  if (bits >= 32) return n * 4;
  return Math.ceil((n * bits) / 8) + Math.ceil(n / blockSize) * 4;
}

/** Round half away from zero (Math.round rounds -0.5 up, which would bias negative values). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** max |x[j]| over [from, to). */
function absMax(x: Float32Array, from: number, to: number): number {
  let amax = 0;
  for (let j = from; j < to; j++) {
    const a = x[j] < 0 ? -x[j] : x[j];
    if (a > amax) amax = a;
  }
  return amax;
}

/** In place: x <- dequantize(quantize(x)) over [offset, offset+length); returns the max abs error. */
export function quantizeInPlace(x: Float32Array, bits: number, blockSize: number, offset = 0, length = x.length - offset): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > 32) throw new ConfigError(`quantize: bits must be an integer in [2, 32], got ${bits}`);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new ConfigError(`quantize: blockSize must be a positive integer, got ${blockSize}`);
  if (bits === 32) return 0;
  const levels = twoPow(bits - 1) - 1; // exact power of two
  let worst = 0;
  for (let b = offset; b < offset + length; b += blockSize) {
    const end = Math.min(b + blockSize, offset + length);
    const amax = absMax(x, b, end);
    if (amax === 0) continue;
    const scale = Math.fround(amax / levels);
    for (let j = b; j < end; j++) {
      const q = roundHalfAway(x[j] / scale);
      const v = Math.fround(q * scale);
      const err = Math.abs(v - x[j]);
      if (err > worst) worst = err;
      x[j] = v;
    }
  }
  return worst;
}

export type QuantFormat = "int" | "e3m0";

/** E3M0's smallest nonzero magnitude relative to the block scale: 2^-6 (exponent codes 1..7 = 2^-6..2^0). */
const E3M0_MIN = 1 / 64;

/** |x| / scale rounded to E3M0: 0 or a power of two in [2^-6, 1], nearest, ties away from zero. */
export function e3m0Magnitude(a: number): number {
  let m = 1;
  // Between 2^(k-1) and 2^k the midpoint is 0.75 x 2^k.
  while (m > E3M0_MIN && a < 0.75 * m) m *= 0.5;
  return m === E3M0_MIN && a < 0.5 * E3M0_MIN ? 0 : m;
}

/** In place: x <- E3M0(x) with one scale (max|x|) per block over [offset, offset+length); returns the max abs error. */
export function quantizeE3m0InPlace(x: Float32Array, blockSize: number, offset = 0, length = x.length - offset): number {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new ConfigError(`quantize: blockSize must be a positive integer, got ${blockSize}`);
  let worst = 0;
  for (let b = offset; b < offset + length; b += blockSize) {
    const end = Math.min(b + blockSize, offset + length);
    const amax = absMax(x, b, end);
    if (amax === 0) continue;
    for (let j = b; j < end; j++) {
      const a = x[j] < 0 ? -x[j] : x[j];
      const q = Math.fround(e3m0Magnitude(a / amax) * amax); // a power of two times a float32: exact
      const v = x[j] < 0 && q > 0 ? -q : q; // zero is +0
      const err = Math.abs(v - x[j]);
      if (err > worst) worst = err;
      x[j] = v;
    }
  }
  return worst;
}

/** Quantize in place in `format` (bits 32 = none; e3m0 is a 4-bit format). */
export function quantizeFormatInPlace(x: Float32Array, format: QuantFormat, bits: number, blockSize: number, offset = 0, length = x.length - offset): number {
  if (bits === 32) return 0;
  if (format === "int") return quantizeInPlace(x, bits, blockSize, offset, length);
  if (bits !== 4) throw new ConfigError(`quantize: the e3m0 format has 4 bits, got bits ${bits} (use quant: int for other widths)`);
  return quantizeE3m0InPlace(x, blockSize, offset, length);
}
