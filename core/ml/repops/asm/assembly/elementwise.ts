// Elementwise, row-wise and optimizer kernels (float32, fixed order; REFERENCE §2). Every formula here
// is mirrored op for op by core/ml/repops/reference.ts; f32 arithmetic in wasm is IEEE-exact.
import { exp32, gelu32, geluGrad32, log32 } from "./math";
import { exp32x4, gelu32x4, geluGrad32x4 } from "./vmath";

@inline function ld(p: usize, i: usize): f32 { return load<f32>(p + (i << 2)); }
@inline function st(p: usize, i: usize, v: f32): void { store<f32>(p + (i << 2), v); }

// op: 0 add, 1 sub, 2 mul, 3 div
export function binary(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  let i: usize = 0;
  const n4 = <usize>(n & ~3);
  const nn = <usize>n;
  if (op == 0) { for (; i < n4; i += 4) v128.store(out + (i << 2), f32x4.add(v128.load(a + (i << 2)), v128.load(b + (i << 2)))); }
  else if (op == 1) { for (; i < n4; i += 4) v128.store(out + (i << 2), f32x4.sub(v128.load(a + (i << 2)), v128.load(b + (i << 2)))); }
  else if (op == 2) { for (; i < n4; i += 4) v128.store(out + (i << 2), f32x4.mul(v128.load(a + (i << 2)), v128.load(b + (i << 2)))); }
  else { for (; i < n4; i += 4) v128.store(out + (i << 2), f32x4.div(v128.load(a + (i << 2)), v128.load(b + (i << 2)))); }
  for (; i < nn; i++) {
    const x = ld(a, i), y = ld(b, i);
    st(out, i, op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y);
  }
}

/** out = x * s */
export function scale(x: usize, s: f32, out: usize, n: i32): void {
  for (let i: usize = 0; i < <usize>n; i++) st(out, i, ld(x, i) * s);
}

/** out = y + alpha * x */
export function axpy(alpha: f32, x: usize, y: usize, out: usize, n: i32): void {
  let i: usize = 0;
  const av = f32x4.splat(alpha);
  for (; i < <usize>(n & ~3); i += 4) {
    v128.store(out + (i << 2), f32x4.add(v128.load(y + (i << 2)), f32x4.mul(av, v128.load(x + (i << 2)))));
  }
  for (; i < <usize>n; i++) st(out, i, ld(y, i) + alpha * ld(x, i));
}

/** out[s, r, c] = x[s, r, c] + bias[s * biasStride + c] */
export function addBias(x: usize, bias: usize, out: usize, batch: i32, rows: i32, cols: i32, biasStride: i32): void {
  let o: usize = 0;
  for (let s = 0; s < batch; s++) {
    const bs = bias + (<usize>(s * biasStride) << 2);
    for (let r = 0; r < rows; r++) {
      for (let c: usize = 0; c < <usize>cols; c++) { st(out, o, ld(x, o) + ld(bs, c)); o++; }
    }
  }
}

/** out = x > 0 ? x : 0 */
export function relu(x: usize, out: usize, n: i32): void {
  for (let i: usize = 0; i < <usize>n; i++) { const v = ld(x, i); st(out, i, v > 0 ? v : 0); }
}

/** out = x > 0 ? dy : 0 */
export function reluGrad(x: usize, dy: usize, out: usize, n: i32): void {
  for (let i: usize = 0; i < <usize>n; i++) st(out, i, ld(x, i) > 0 ? ld(dy, i) : 0);
}

export function gelu(x: usize, out: usize, n: i32): void {
  let i: usize = 0;
  for (; i < <usize>(n & ~3); i += 4) v128.store(out + (i << 2), gelu32x4(v128.load(x + (i << 2))));
  for (; i < <usize>n; i++) st(out, i, gelu32(ld(x, i)));
}

/** out = dy * gelu'(x) */
export function geluGrad(x: usize, dy: usize, out: usize, n: i32): void {
  let i: usize = 0;
  for (; i < <usize>(n & ~3); i += 4) {
    v128.store(out + (i << 2), f32x4.mul(v128.load(dy + (i << 2)), geluGrad32x4(v128.load(x + (i << 2)))));
  }
  for (; i < <usize>n; i++) st(out, i, ld(dy, i) * geluGrad32(ld(x, i)));
}

/** out[c] = exp32(x[c] - m) for one row of `cols` (four lanes at a time, same bits as scalar). */
@inline function expShifted(xr: usize, yr: usize, cols: i32, m: f32): void {
  let c: usize = 0;
  const mv = f32x4.splat(m);
  for (; c < <usize>(cols & ~3); c += 4) v128.store(yr + (c << 2), exp32x4(f32x4.sub(v128.load(xr + (c << 2)), mv)));
  for (; c < <usize>cols; c++) st(yr, c, exp32(ld(xr, c) - m));
}

/** Per row: m = max, e = exp(x - m), out = e / sum(e) (sum from column 0 upward). */
export function softmaxRows(x: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * cols << 2), yr = out + (<usize>r * cols << 2);
    let m = ld(xr, 0);
    for (let c: usize = 1; c < <usize>cols; c++) { const v = ld(xr, c); if (v > m) m = v; }
    expShifted(xr, yr, cols, m);
    let sum: f32 = 0;
    for (let c: usize = 0; c < <usize>cols; c++) sum += ld(yr, c);
    let c: usize = 0;
    const sv = f32x4.splat(sum);
    for (; c < <usize>(cols & ~3); c += 4) v128.store(yr + (c << 2), f32x4.div(v128.load(yr + (c << 2)), sv));
    for (; c < <usize>cols; c++) st(yr, c, ld(yr, c) / sum);
  }
}

/** Per row: out = (x - m) - log(sum exp(x - m)). */
export function logSoftmaxRows(x: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * cols << 2), yr = out + (<usize>r * cols << 2);
    let m = ld(xr, 0);
    for (let c: usize = 1; c < <usize>cols; c++) { const v = ld(xr, c); if (v > m) m = v; }
    expShifted(xr, yr, cols, m); // out holds the exponentials until overwritten below
    let sum: f32 = 0;
    for (let c: usize = 0; c < <usize>cols; c++) sum += ld(yr, c);
    const lse = log32(sum);
    let c: usize = 0;
    const mv = f32x4.splat(m), lv = f32x4.splat(lse);
    for (; c < <usize>(cols & ~3); c += 4) v128.store(yr + (c << 2), f32x4.sub(f32x4.sub(v128.load(xr + (c << 2)), mv), lv));
    for (; c < <usize>cols; c++) st(yr, c, (ld(xr, c) - m) - lse);
  }
}

/** Softmax backward from its output y: dx = y * (dy - sum(dy * y)). */
export function softmaxRowsGrad(y: usize, dy: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * cols;
    let s: f32 = 0;
    for (let c: usize = 0; c < <usize>cols; c++) s += ld(dy, o + c) * ld(y, o + c);
    for (let c: usize = 0; c < <usize>cols; c++) st(out, o + c, ld(y, o + c) * (ld(dy, o + c) - s));
  }
}

/** out[i] = sum over columns of row i, from column 0 upward. */
export function sumRows(x: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>r * cols << 2);
    let s: f32 = 0;
    for (let c: usize = 0; c < <usize>cols; c++) s += ld(xr, c);
    st(out, r, s);
  }
}

/** out[s, j] = sum over rows i (from 0 upward) of x[s, i, j]. */
export function sumCols(x: usize, out: usize, batch: i32, rows: i32, cols: i32): void {
  for (let s = 0; s < batch; s++) {
    const xs = x + (<usize>s * rows * cols << 2), os = out + (<usize>s * cols << 2);
    for (let c: usize = 0; c < <usize>cols; c++) st(os, c, 0);
    for (let r = 0; r < rows; r++) {
      const xr = xs + (<usize>r * cols << 2);
      let c: usize = 0;
      for (; c < <usize>(cols & ~3); c += 4) v128.store(os + (c << 2), f32x4.add(v128.load(os + (c << 2)), v128.load(xr + (c << 2))));
      for (; c < <usize>cols; c++) st(os, c, ld(os, c) + ld(xr, c));
    }
  }
}

/**
 * Layer norm over the last axis of x[batch, rows, d]; gamma/beta at s * paramStride.
 * mean = sum(x)/d; xc = x - mean; var = sum(xc*xc)/d; rstd = f32(1 / sqrt(f64(f32(var + eps))));
 * y = (xc * rstd) * gamma + beta. Saves mean and rstd per row for the backward pass.
 */
export function layerNorm(
  x: usize, gamma: usize, beta: usize, out: usize, meanOut: usize, rstdOut: usize,
  batch: i32, rows: i32, d: i32, paramStride: i32, eps: f32,
): void {
  const fd = <f32>d;
  for (let s = 0; s < batch; s++) {
    const g = gamma + (<usize>(s * paramStride) << 2), b = beta + (<usize>(s * paramStride) << 2);
    for (let r = 0; r < rows; r++) {
      const row = s * rows + r;
      const xr = x + (<usize>row * d << 2), yr = out + (<usize>row * d << 2);
      let sum: f32 = 0;
      for (let c: usize = 0; c < <usize>d; c++) sum += ld(xr, c);
      const mean = sum / fd;
      let sq: f32 = 0;
      for (let c: usize = 0; c < <usize>d; c++) { const xc = ld(xr, c) - mean; sq += xc * xc; }
      const rstd = <f32>(1 / Math.sqrt(<f64>(sq / fd + eps)));
      for (let c: usize = 0; c < <usize>d; c++) st(yr, c, ((ld(xr, c) - mean) * rstd) * ld(g, c) + ld(b, c));
      st(meanOut, row, mean);
      st(rstdOut, row, rstd);
    }
  }
}

/**
 * Layer norm backward. xhat = (x - mean) * rstd; gh = dy * gamma;
 * dx = rstd * ((gh - sum(gh)/d) - xhat * (sum(gh * xhat)/d)).
 * dgamma[s', c] += dy * xhat and dbeta[s', c] += dy over rows in order (s' = s when paramStride != 0,
 * else 0: shared parameters accumulate over batch entries in order). dgamma/dbeta are overwritten.
 */
export function layerNormGrad(
  dy: usize, x: usize, gamma: usize, mean: usize, rstd: usize, dx: usize, dgamma: usize, dbeta: usize,
  batch: i32, rows: i32, d: i32, paramStride: i32,
): void {
  const fd = <f32>d;
  const groups = paramStride != 0 ? batch : 1;
  for (let c: usize = 0; c < <usize>(groups * d); c++) { st(dgamma, c, 0); st(dbeta, c, 0); }
  for (let s = 0; s < batch; s++) {
    const g = gamma + (<usize>(s * paramStride) << 2);
    const dg = dgamma + (<usize>(s * paramStride) << 2), db = dbeta + (<usize>(s * paramStride) << 2);
    for (let r = 0; r < rows; r++) {
      const row = s * rows + r;
      const o = <usize>row * d;
      const mu = ld(mean, row), rs = ld(rstd, row);
      let s1: f32 = 0, s2: f32 = 0;
      for (let c: usize = 0; c < <usize>d; c++) {
        const xh = (ld(x, o + c) - mu) * rs;
        const gh = ld(dy, o + c) * ld(g, c);
        s1 += gh;
        s2 += gh * xh;
        st(dg, c, ld(dg, c) + ld(dy, o + c) * xh);
        st(db, c, ld(db, c) + ld(dy, o + c));
      }
      const m1 = s1 / fd, m2 = s2 / fd;
      for (let c: usize = 0; c < <usize>d; c++) {
        const xh = (ld(x, o + c) - mu) * rs;
        const gh = ld(dy, o + c) * ld(g, c);
        st(dx, o + c, rs * ((gh - m1) - xh * m2));
      }
    }
  }
}

/**
 * AdamW (decoupled weight decay), in place on p, m, v. Scalars come pre-rounded from TypeScript:
 * c1 = 1 - b1, c2 = 1 - b2, lrwd = lr * wd, bc1 = 1 - b1^t, bc2 = 1 - b2^t.
 * p = p - lrwd * p; m = b1*m + c1*g; v = b2*v + (c2*g)*g;
 * p = p - lr * ((m / bc1) / (f32(sqrt(v / bc2)) + eps)).
 */
export function adamw(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, b1: f32, b2: f32, c1: f32, c2: f32, eps: f32, lrwd: f32, bc1: f32, bc2: f32,
): void {
  for (let i: usize = 0; i < <usize>n; i++) {
    const gi = ld(g, i);
    let pi = ld(p, i);
    pi = pi - lrwd * pi;
    const mi = b1 * ld(m, i) + c1 * gi;
    const vi = b2 * ld(v, i) + (c2 * gi) * gi;
    st(m, i, mi);
    st(v, i, vi);
    const denom = <f32>Math.sqrt(<f64>(vi / bc2)) + eps;
    st(p, i, pi - lr * ((mi / bc1) / denom));
  }
}
