// Few-bit quantization of outer gradients (REFERENCE §5, Streaming DiLoCo: 4-bit outer gradients):
// symmetric uniform per block, scale = max|x| / (2^(bits-1) - 1), q = round(x / scale).
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

/** In place: x <- dequantize(quantize(x)) over [offset, offset+length); returns the max abs error. */
export function quantizeInPlace(x: Float32Array, bits: number, blockSize: number, offset = 0, length = x.length - offset): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > 32) throw new ConfigError(`quantize: bits must be an integer in [2, 32], got ${bits}`);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new ConfigError(`quantize: blockSize must be a positive integer, got ${blockSize}`);
  if (bits === 32) return 0;
  const levels = twoPow(bits - 1) - 1; // exact power of two
  let worst = 0;
  for (let b = offset; b < offset + length; b += blockSize) {
    const end = Math.min(b + blockSize, offset + length);
    let amax = 0;
    for (let j = b; j < end; j++) {
      const a = x[j] < 0 ? -x[j] : x[j];
      if (a > amax) amax = a;
    }
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
