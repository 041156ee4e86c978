// Fixed-order scalar float32 kernels for the repops backend (REFERENCE §2): every reduction runs
// in one documented order, every product and sum is rounded to float32 (a JS double product of
// two floats is exact and a double sum rounds innocuously), and no op depends on the replica
// count, so batched == unbatched bitwise.
const fround = Math.fround;

/**
 * C[b] = op(A[b]) op(B[b]) for b < batch; A is [M,K] ([K,M] with transA), B is [K,N] ([N,K]
 * with transB). Each C[i,j] = sum over k = 0..K-1 ascending, starting from +0, each product
 * rounded to float32 before the float32 add (no FMA).
 */
export function matmulScalar(
  a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number, transA: boolean, transB: boolean,
): Float32Array {
  const out = new Float32Array(batch * m * n);
  const aik = transA ? m : 1; // stride of k in A
  const aim = transA ? 1 : k; // stride of i in A
  const bkk = transB ? 1 : n; // stride of k in B
  const bjj = transB ? k : 1; // stride of j in B
  for (let bi = 0; bi < batch; bi++) {
    const ao = bi * m * k;
    const bo = bi * k * n;
    const co = bi * m * n;
    for (let i = 0; i < m; i++) {
      const crow = co + i * n;
      for (let kk = 0; kk < k; kk++) {
        const av = a[ao + i * aim + kk * aik];
        const bk = bo + kk * bkk;
        for (let j = 0; j < n; j++) out[crow + j] += fround(av * b[bk + j * bjj]);
      }
    }
  }
  return out;
}

/** Permute the axes of each replica's tensor of shape `shape` by `perm`. */
export function transposeScalar(x: Float32Array, shape: readonly number[], perm: readonly number[], replicas: number): Float32Array {
  const rank = shape.length;
  const size = x.length / replicas;
  const out = new Float32Array(x.length);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d];
  }
  const outShape = perm.map((p) => shape[p]);
  const srcStride = perm.map((p) => inStrides[p]); // input stride of each output axis
  const idx = new Array<number>(rank).fill(0);
  for (let r = 0; r < replicas; r++) {
    const base = r * size;
    idx.fill(0);
    let src = 0;
    for (let o = 0; o < size; o++) {
      out[base + o] = x[base + src];
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

/** Sum the leading dims of each replica's [outer, inner] view: out[r, j] = sum over i ascending. */
export function sumLeadingScalar(x: Float32Array, inner: number, replicas: number): Float32Array {
  const size = x.length / replicas;
  const outer = size / inner;
  const out = new Float32Array(replicas * inner);
  for (let r = 0; r < replicas; r++) {
    const o = r * inner;
    for (let i = 0; i < outer; i++) {
      const xo = r * size + i * inner;
      for (let j = 0; j < inner; j++) out[o + j] += x[xo + j];
    }
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
