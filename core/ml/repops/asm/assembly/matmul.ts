// Fixed-order float32 matmul, WebAssembly SIMD (REFERENCE §2). Every output element is
//   acc = +0; for p = 0, 1, ..., k-1: acc = f32(acc + f32(a[i,p] * b[p,j]))
// with no FMA. Vectorised over independent output elements only: each SIMD lane is exactly that
// scalar sum. Register tiling: a 4x8 block of C (8 v128 accumulators) per pass over k, with A and
// B packed into contiguous, zero-padded panels first (padding lanes are computed and dropped).

const MR: i32 = 4; // rows of C per tile
const NR: i32 = 8; // columns of C per tile (two v128)

// op(A)[i, p] for A stored [m, k] (transA = 0) or [k, m] (transA = 1).
function packA(a: usize, m: i32, k: i32, transA: i32, dst: usize): void {
  const blocks = (m + MR - 1) / MR;
  for (let ib = 0; ib < blocks; ib++) {
    const base = dst + (<usize>ib * <usize>k * MR << 2);
    for (let r = 0; r < MR; r++) {
      const i = ib * MR + r;
      if (i < m) {
        if (transA) {
          for (let p = 0; p < k; p++) store<f32>(base + ((<usize>p * MR + r) << 2), load<f32>(a + ((<usize>p * m + i) << 2)));
        } else {
          const row = a + (<usize>i * k << 2);
          for (let p = 0; p < k; p++) store<f32>(base + ((<usize>p * MR + r) << 2), load<f32>(row + (<usize>p << 2)));
        }
      } else {
        for (let p = 0; p < k; p++) store<f32>(base + ((<usize>p * MR + r) << 2), 0);
      }
    }
  }
}

// op(B)[p, j] for B stored [k, n] (transB = 0) or [n, k] (transB = 1).
function packB(b: usize, k: i32, n: i32, transB: i32, dst: usize): void {
  const panels = (n + NR - 1) / NR;
  for (let jp = 0; jp < panels; jp++) {
    const base = dst + (<usize>jp * <usize>k * NR << 2);
    const j0 = jp * NR;
    if (!transB && j0 + NR <= n) {
      for (let p = 0; p < k; p++) {
        const src = b + ((<usize>p * n + j0) << 2);
        const d = base + (<usize>p * NR << 2);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
      continue;
    }
    for (let p = 0; p < k; p++) {
      for (let jj = 0; jj < NR; jj++) {
        const j = j0 + jj;
        let v: f32 = 0;
        if (j < n) v = transB ? load<f32>(b + ((<usize>j * k + p) << 2)) : load<f32>(b + ((<usize>p * n + j) << 2));
        store<f32>(base + ((<usize>p * NR + jj) << 2), v);
      }
    }
  }
}

// C tile (4 x 8) = packed A block (k x 4) times packed B panel (k x 8), written to `tile` (32 floats).
@inline function kernel(ap: usize, bp: usize, k: i32, c: usize, ldc: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16;
    bp += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}

/**
 * C[batch, m, n] = op(A) . op(B) per batch entry. Strides (in floats) between batch entries may be 0
 * (broadcast). `work` must hold 4 * (ceil(m/4)*4*k + ceil(n/8)*8*k + 32) bytes.
 */
export function matmul(
  a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, batch: i32,
  strideA: i32, strideB: i32, transA: i32, transB: i32, work: usize,
): void {
  const mBlocks = (m + MR - 1) / MR;
  const nPanels = (n + NR - 1) / NR;
  const packedA = work;
  const packedB = work + (<usize>mBlocks * MR * <usize>k << 2);
  const tile = packedB + (<usize>nPanels * NR * <usize>k << 2);
  const ldc = <usize>n << 2;
  for (let s = 0; s < batch; s++) {
    const as = a + (<usize>s * <usize>strideA << 2);
    const bs = b + (<usize>s * <usize>strideB << 2);
    const cs = c + (<usize>s * <usize>m * <usize>n << 2);
    if (s == 0 || strideA != 0) packA(as, m, k, transA, packedA);
    if (s == 0 || strideB != 0) packB(bs, k, n, transB, packedB);
    for (let ib = 0; ib < mBlocks; ib++) {
      const i0 = ib * MR;
      const ap = packedA + (<usize>ib * MR * <usize>k << 2);
      const rows = min(MR, m - i0);
      for (let jp = 0; jp < nPanels; jp++) {
        const j0 = jp * NR;
        const bp = packedB + (<usize>jp * NR * <usize>k << 2);
        const cols = min(NR, n - j0);
        if (rows == MR && cols == NR) {
          kernel(ap, bp, k, cs + ((<usize>i0 * n + j0) << 2), ldc);
        } else {
          kernel(ap, bp, k, tile, NR << 2);
          for (let r = 0; r < rows; r++) {
            for (let jj = 0; jj < cols; jj++) {
              store<f32>(cs + ((<usize>(i0 + r) * n + j0 + jj) << 2), load<f32>(tile + ((<usize>r * NR + jj) << 2)));
            }
          }
        }
      }
    }
  }
}
