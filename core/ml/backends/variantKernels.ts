// Reduction kernels of the non-reproducible RepOps variants (REFERENCE §2): the same matmul and
// sums as repops' fixed-order kernels, computed the way other hardware does, so honest results
// differ from repops' only in rounding. Each variant is itself deterministic (a fixed order, + - *
// and Math.fround only), so two providers on the same variant agree bit for bit.
//   fma   matmul: acc = round32(acc + a*b) with the product unrounded (a float32 x float32 product
//         is exact in float64), k ascending: a GPU's fused multiply-add (FFMA) chain. The float64
//         add may round once before the float32 rounding (double rounding), which a hardware FMA
//         would not; it is still one fixed, honest order. Sums have no multiply to fuse: repops'.
//   tree  matmul and sums: terms rounded to float32 as repops does, added by a pairwise tree
//         (stride halving, each add rounded to float32), as a GPU block reduction in shared memory.
// Layouts as repops' (core/ml/repops/reference.ts matmulRef): replica/batch dimension first; an
// operand holding one entry is shared by every batch entry; transA: A stored [k, m]; transB: B [n, k].
const fr = Math.fround;

export type ReductionVariant = "fma" | "tree";

export interface MatmulShape {
  /** batch entries (matmul batch x replicas) */
  batch: number;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

/** Pairwise tree over s[0..len): s[i] += s[i + half] with half = ceil(len / 2), until one value. */
function treeReduce(s: Float32Array, len: number): number {
  if (len === 0) return 0;
  while (len > 1) {
    const half = (len + 1) >> 1;
    for (let i = 0; i + half < len; i++) s[i] = s[i] + s[i + half]; // the store rounds to float32
    len = half;
  }
  return s[0];
}

/** C = A B per batch entry, reduction over k in the variant's order. */
export function matmulVariant(variant: ReductionVariant, a: Float32Array, b: Float32Array, d: MatmulShape, out: Float32Array): void {
  const { batch, m, k, n, transA, transB } = d;
  const sa = a.length === m * k ? 0 : m * k;
  const sb = b.length === k * n ? 0 : k * n;
  if (a.length !== m * k && a.length !== batch * m * k) throw new RangeError(`matmulVariant: a has ${a.length} values, expected ${m * k} or ${batch * m * k}`);
  if (b.length !== k * n && b.length !== batch * k * n) throw new RangeError(`matmulVariant: b has ${b.length} values, expected ${k * n} or ${batch * k * n}`);
  const terms = new Float32Array(k);
  for (let s = 0; s < batch; s++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        if (variant === "fma") {
          for (let p = 0; p < k; p++) {
            const x = transA ? a[s * sa + p * m + i] : a[s * sa + i * k + p];
            const y = transB ? b[s * sb + j * k + p] : b[s * sb + p * n + j];
            acc = fr(acc + x * y);
          }
        } else {
          for (let p = 0; p < k; p++) {
            const x = transA ? a[s * sa + p * m + i] : a[s * sa + i * k + p];
            const y = transB ? b[s * sb + j * k + p] : b[s * sb + p * n + j];
            terms[p] = x * y; // rounds to float32, as repops' product
          }
          acc = treeReduce(terms, k);
        }
        out[s * m * n + i * n + j] = acc;
      }
    }
  }
}

/** out[r] = sum of each replica's values by a pairwise tree (variant "tree"). */
export function sumAllTree(x: Float32Array, replicas: number, out: Float32Array): void {
  const size = x.length / replicas;
  for (let r = 0; r < replicas; r++) out[r] = treeReduce(x.slice(r * size, (r + 1) * size), size);
}

/** out[r, c] = sum over rows of x[r, row, c] by a pairwise tree per column (variant "tree"). */
export function sumLeadingTree(x: Float32Array, replicas: number, cols: number, out: Float32Array): void {
  const rows = x.length / replicas / cols;
  const col = new Float32Array(rows);
  for (let r = 0; r < replicas; r++) {
    const base = r * rows * cols;
    for (let c = 0; c < cols; c++) {
      for (let i = 0; i < rows; i++) col[i] = x[base + i * cols + c];
      out[r * cols + c] = treeReduce(col, rows);
    }
  }
}
