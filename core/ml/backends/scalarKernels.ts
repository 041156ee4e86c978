// Fixed-order scalar float32 kernels for the repops ops that ML-KERNELS' WebAssembly set lacks
// (REFERENCE §2): data movement, whole-tensor sums and broadcast binary ops. Every sum runs in
// ascending order with a float32 rounding per add; no op depends on the replica count, so
// batched == unbatched bitwise.
const fround = Math.fround;

/** Permute the axes of each replica's tensor of shape `shape` by `perm`. */
export function transposeScalar(x: Float32Array, shape: readonly number[], perm: readonly number[], replicas: number): Float32Array {
  // Trailing axes that stay in place move as one contiguous block (e.g. head dim in [B,T,H,D] -> [B,H,T,D]).
  let rank = shape.length;
  let block = 1;
  while (rank > 0 && perm[rank - 1] === rank - 1) block *= shape[--rank];
  const size = x.length / replicas;
  const out = new Float32Array(x.length);
  if (rank === 0) return out.set(x), out;
  const inStrides = new Array<number>(rank);
  let s = block;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d];
  }
  const outShape = perm.slice(0, rank).map((p) => shape[p]);
  const srcStride = perm.slice(0, rank).map((p) => inStrides[p]); // input stride of each output axis
  const idx = new Array<number>(rank).fill(0);
  for (let r = 0; r < replicas; r++) {
    const base = r * size;
    idx.fill(0);
    let src = base;
    for (let o = base, end = base + size; o < end; o += block) {
      for (let j = 0; j < block; j++) out[o + j] = x[src + j];
      for (let d = rank - 1; d >= 0; d--) {
        idx[d]++;
        src += srcStride[d];
        if (idx[d] < outShape[d]) break;
        src -= srcStride[d] * outShape[d];
        idx[d] = 0;
      }
    }
  }
  return out;
}

/** out[r] = sum of each replica's `size` values, ascending, float32 adds. */
export function sumScalar(x: Float32Array, replicas: number): Float32Array {
  const size = x.length / replicas;
  const out = new Float32Array(replicas);
  for (let r = 0; r < replicas; r++) {
    let acc = 0;
    for (let i = r * size, e = i + size; i < e; i++) acc = fround(acc + x[i]);
    out[r] = acc;
  }
  return out;
}

/** Tile each replica's `inner` values `outer` times. */
export function broadcastScalar(x: Float32Array, inner: number, outer: number, replicas: number): Float32Array {
  const out = new Float32Array(replicas * outer * inner);
  for (let r = 0; r < replicas; r++) {
    const src = x.subarray(r * inner, (r + 1) * inner);
    for (let i = 0; i < outer; i++) out.set(src, (r * outer + i) * inner);
  }
  return out;
}

/** Elementwise binary op with the second operand broadcast over leading dims (its shape is a suffix). */
export function binaryScalar(
  a: Float32Array, b: Float32Array, replicas: number, op: "add" | "sub" | "mul",
): Float32Array {
  const out = new Float32Array(a.length);
  const sa = a.length / replicas;
  const sb = b.length / replicas;
  for (let r = 0; r < replicas; r++) {
    const ao = r * sa;
    const bo = r * sb;
    for (let i = 0; i < sa; i += sb) {
      if (op === "add") for (let j = 0; j < sb; j++) out[ao + i + j] = a[ao + i + j] + b[bo + j];
      else if (op === "sub") for (let j = 0; j < sb; j++) out[ao + i + j] = a[ao + i + j] - b[bo + j];
      else for (let j = 0; j < sb; j++) out[ao + i + j] = a[ao + i + j] * b[bo + j];
    }
  }
  return out;
}
