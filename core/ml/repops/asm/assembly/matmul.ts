// Fixed-order float32 matmul, WebAssembly SIMD (REFERENCE §2). Every output element is
//   acc = +0; for p = 0, 1, ..., k-1: acc = f32(acc + f32(a[i,p] * b[p,j]))
// with no FMA. Vectorised over independent output elements only: each SIMD lane is exactly that
// scalar sum. Register tiling: a 2x16 block of C (8 v128 accumulators) per pass over k. B is packed
// into contiguous, zero-padded 16-column panels first (padding lanes are computed and dropped); A is
// read in place (two rows of op(A), each one float per step, splatted to all lanes).

const MR: i32 = 2; // rows of C per tile
const NR: i32 = 16; // columns of C per tile (four v128)

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
        for (let v = 0; v < NR; v += 4) v128.store(d + (<usize>v << 2), v128.load(src + (<usize>v << 2)));
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

// Block sizes: a k-slice of KC keeps the B panels of NC columns in L2 while every 4-row block of A
// streams past; the order over p inside each output element is unchanged (ascending), because a
// slice continues from the float32 partial sums stored in C (storing and reloading f32 is exact).
const KC: i32 = 128;
const NC: i32 = 256; // multiple of NR

// C tile (2 x 16) += rows a0, a1 of op(A) (kc floats each, `astep` bytes apart) . packed B panel
// (kc x 16); starts from +0 when `first`.
// 2 x 16 (8 accumulators, 4 B vectors) measured fastest among 4x8, 3x12, 2x12, 2x16, 2x20 on Bun.
@inline function kernel(a0: usize, a1: usize, astep: usize, bp: usize, kc: i32, c: usize, ldc: usize, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  if (!first) {
    c00 = v128.load(c); c01 = v128.load(c, 16); c02 = v128.load(c, 32); c03 = v128.load(c, 48);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16); c12 = v128.load(c + ldc, 32); c13 = v128.load(c + ldc, 48);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const b2 = v128.load(bp, 32);
    const b3 = v128.load(bp, 48);
    let a = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    c02 = f32x4.add(c02, f32x4.mul(a, b2));
    c03 = f32x4.add(c03, f32x4.mul(a, b3));
    a = v128.load32_splat(a1);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    c12 = f32x4.add(c12, f32x4.mul(a, b2));
    c13 = f32x4.add(c13, f32x4.mul(a, b3));
    a0 += astep;
    a1 += astep;
    bp += 64;
  }
  v128.store(c, c00); v128.store(c, c01, 16); v128.store(c, c02, 32); v128.store(c, c03, 48);
  c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); v128.store(c, c12, 32); v128.store(c, c13, 48);
}

/** Floats of scratch memory `matmul` needs for these dimensions. */
export function matmulWorkFloats(m: i32, k: i32, n: i32): i32 {
  const mPad = (m + MR - 1) / MR * MR;
  const nPad = (n + NR - 1) / NR * NR;
  return nPad * k + mPad * nPad;
}

/**
 * C[batch, m, n] = op(A) . op(B) per batch entry. Strides (in floats) between batch entries may be 0
 * (broadcast). `work` must hold matmulWorkFloats(m, k, n) floats. When m or n is not a multiple of
 * the tile, tiles are computed into a padded copy of C (no edge special case), then copied out.
 */
export function matmul(
  a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, batch: i32,
  strideA: i32, strideB: i32, transA: i32, transB: i32, work: usize,
): void {
  const mBlocks = (m + MR - 1) / MR;
  const nPanels = (n + NR - 1) / NR;
  const nPad = nPanels * NR;
  const packedB = work;
  const cPad = packedB + (<usize>nPad * <usize>k << 2);
  // Whole tiles only: write straight into C; otherwise into the padded copy, then copy the valid part.
  const direct = m % MR == 0 && n % NR == 0;
  const ldc = <usize>nPad << 2;
  const panelsPerBlock = NC / NR;
  for (let s = 0; s < batch; s++) {
    const as = a + (<usize>s * <usize>strideA << 2);
    const bs = b + (<usize>s * <usize>strideB << 2);
    const cs = c + (<usize>s * <usize>m * <usize>n << 2);
    const cTiles = direct ? cs : cPad;
    if (s == 0 || strideB != 0) packB(bs, k, n, transB, packedB);
    for (let jb = 0; jb < nPanels; jb += panelsPerBlock) {
      const jEnd = min(nPanels, jb + panelsPerBlock);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const kc = min(KC, k - p0);
        const first = p0 == 0;
        for (let ib = 0; ib < mBlocks; ib++) {
          const i0 = ib * MR;
          // Row i0 + 1 of op(A); an odd m's last block repeats row i0 (that tile row lands in padding).
          const next = i0 + 1 < m ? 1 : 0;
          const a0 = transA ? as + ((<usize>p0 * m + i0) << 2) : as + ((<usize>i0 * k + p0) << 2);
          const a1 = a0 + (transA ? <usize>next << 2 : <usize>(next * k) << 2);
          const astep: usize = transA ? <usize>m << 2 : 4;
          const crow = cTiles + <usize>ib * MR * ldc;
          for (let jp = jb; jp < jEnd; jp++) {
            const bp = packedB + ((<usize>jp * NR * <usize>k + <usize>p0 * NR) << 2);
            kernel(a0, a1, astep, bp, kc, crow + (<usize>jp * NR << 2), ldc, first);
          }
        }
      }
    }
    if (!direct) for (let i = 0; i < m; i++) memory.copy(cs + (<usize>i * n << 2), cPad + <usize>i * ldc, <usize>n << 2);
  }
}
