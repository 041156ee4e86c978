// Two-lane (f64x2) versions of exp64 and tanh64 from math.ts: the same IEEE operations per lane, with
// every branch of the scalar code computed and chosen per lane by a mask (v128.bitselect), so each
// lane equals the scalar function bit for bit (kernels.test.ts checks this over wide ranges).
import { GELU_C, GELU_K, INV_LN2, LN2_HI, LN2_LO, O_THRESHOLD, P1, P2, P3, P4, P5, U_THRESHOLD } from "./math";

@inline function sp(x: f64): v128 { return f64x2.splat(x); }
@inline function sel(ifTrue: v128, ifFalse: v128, mask: v128): v128 { return v128.bitselect(ifTrue, ifFalse, mask); }
@inline function add(a: v128, b: v128): v128 { return f64x2.add(a, b); }
@inline function sub(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
@inline function mul(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
@inline function div(a: v128, b: v128): v128 { return f64x2.div(a, b); }

/** 2^k for integer-valued k in [-1023, 1023]: k + 1023 lands in the low mantissa bits of 2^52 + k + 1023. */
@inline function twoPow(k: v128): v128 {
  return i64x2.shl(add(k, sp(4503599627370496.0 + 1023)), 52);
}

/**
 * The reduced-argument core of exp64 for lanes with |x| <= 709: returns y and k with exp(x) = y * 2^k.
 * For k = 0 lanes (|x| <= ln2/2) hi = x - 0 = x and lo = +0, so r = x exactly as in the scalar code;
 * and the scalar k == 0 formula 1 - ((r*c)/(c-2) - r) equals the one used here bit for bit, because
 * (r*c)/(c-2) = -((r*c)/(2-c)) exactly and 0 - q = -q for q != 0 (q = 0 only in the 1 + x branch).
 */
@inline function expCore(x: v128, k: v128): v128 {
  const hi = sub(x, mul(k, sp(LN2_HI)));
  const lo = mul(k, sp(LN2_LO));
  const r = sub(hi, lo);
  const t = mul(r, r);
  const c = sub(r, mul(t, add(sp(P1), mul(t, add(sp(P2), mul(t, add(sp(P3), mul(t, add(sp(P4), mul(t, sp(P5)))))))))));
  return sub(sp(1), sub(sub(lo, div(mul(r, c), sub(sp(2), c))), hi));
}

/** The scalar code's k: 0 for |x| <= ln2/2, +-1 below 1.5 ln2, else trunc(x / ln2 +- 1/2). */
@inline function expK(x: v128, ax: v128, neg: v128): v128 {
  const reduce = f64x2.gt(ax, sp(0.5 * 0.6931471805599453));
  const near = f64x2.lt(ax, sp(1.5 * 0.6931471805599453));
  const kNear = sel(sp(-1), sp(1), neg);
  const kFar = f64x2.trunc(add(mul(sp(INV_LN2), x), sel(sp(-0.5), sp(0.5), neg)));
  return sel(sel(kNear, kFar, near), sp(0), reduce);
}

/** exp64 on two lanes (math.ts exp64, fdlibm e_exp.c). */
export function exp64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const k = expK(x, ax, f64x2.lt(x, sp(0)));
  const y = expCore(x, k);
  const big = mul(mul(y, sp(2)), twoPow(sub(k, sp(1))));
  const normal = mul(y, twoPow(k)); // k = 0: y * 1 = y
  const tiny = mul(mul(y, twoPow(add(k, sp(1000)))), sp(9.332636185032189e-302)); // 2^-1000
  let res = sel(big, sel(normal, tiny, f64x2.ge(k, sp(-1021))), f64x2.gt(k, sp(1023)));
  res = sel(add(sp(1), x), res, f64x2.lt(ax, sp(3.725290298461914e-9)));
  res = sel(sp(0), res, f64x2.lt(x, sp(U_THRESHOLD)));
  res = sel(sp(Infinity), res, f64x2.gt(x, sp(O_THRESHOLD)));
  return sel(x, res, f64x2.ne(x, x));
}

/** tanh64 on two lanes (math.ts tanh64). */
export function tanh64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  // exp(z) for z = -2|x|: only lanes with 1e-8 <= |x| <= 20 are kept below, so z is in [-40, -2e-8]:
  // k in [-58, 0], no overflow, no subnormal scaling and no 1 + z branch (|z| > 3.7e-9).
  const z = mul(sp(-2), ax);
  const kz = expK(z, f64x2.abs(z), f64x2.lt(z, sp(0)));
  const e = mul(expCore(z, kz), twoPow(kz));
  const r = div(sub(sp(1), e), add(sp(1), e));
  let res = sel(f64x2.neg(r), r, f64x2.lt(x, sp(0)));
  res = sel(x, res, f64x2.lt(ax, sp(1e-8)));
  res = sel(sp(-1), res, f64x2.lt(x, sp(-20)));
  res = sel(sp(1), res, f64x2.gt(x, sp(20)));
  return sel(x, res, f64x2.ne(x, x));
}

@inline function gelu64x2(x: v128): v128 {
  const u = mul(sp(GELU_C), add(x, mul(mul(mul(sp(GELU_K), x), x), x)));
  return mul(mul(sp(0.5), x), add(sp(1), tanh64x2(u)));
}

@inline function geluGrad64x2(x: v128): v128 {
  const x2 = mul(x, x);
  const t = tanh64x2(mul(sp(GELU_C), add(x, mul(mul(sp(GELU_K), x2), x))));
  const left = mul(sp(0.5), add(sp(1), t));
  const right = mul(mul(mul(mul(sp(0.5), x), sub(sp(1), mul(t, t))), sp(GELU_C)), add(sp(1), mul(sp(3 * GELU_K), x2)));
  return add(left, right);
}

/** Applies a float64 two-lane function to four float32 lanes: promote, apply, round back to float32. */
@inline function via64(v: v128, which: i32): v128 {
  const lo = f64x2.promote_low_f32x4(v);
  const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  const flo = which == 0 ? exp64x2(lo) : which == 1 ? gelu64x2(lo) : geluGrad64x2(lo);
  const fhi = which == 0 ? exp64x2(hi) : which == 1 ? gelu64x2(hi) : geluGrad64x2(hi);
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(flo), f32x4.demote_f64x2_zero(fhi), 0, 1, 4, 5);
}

/** exp32 (float64 exp, one rounding) on four float32 lanes. */
@inline export function exp32x4(v: v128): v128 { return via64(v, 0); }
/** gelu32 (tanh form) on four float32 lanes. */
@inline export function gelu32x4(v: v128): v128 { return via64(v, 1); }
/** geluGrad32 on four float32 lanes. */
@inline export function geluGrad32x4(v: v128): v128 { return via64(v, 2); }

/** Test hook: out[i] = exp64(x[i]) (which 0) or tanh64(x[i]) (which 1) for f64 arrays, two lanes at a time. */
export function mapF64x2(which: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i + 1 < n; i += 2) {
    const v = v128.load(x + (<usize>i << 3));
    v128.store(out + (<usize>i << 3), which == 0 ? exp64x2(v) : tanh64x2(v));
  }
}
