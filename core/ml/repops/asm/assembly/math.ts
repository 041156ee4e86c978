// AssemblyScript port of core/des/math.ts exp/tanh (float64, IEEE ops only) and the tanh-form GELU
// of math32.ts: line-for-line the same operations, so results match the TypeScript bit for bit.

export const LN2_HI: f64 = 6.93147180369123816490e-01;
export const LN2_LO: f64 = 1.90821492927058770002e-10;
export const INV_LN2: f64 = 1.44269504088896338700e+00;
export const P1: f64 = 1.66666666666666019037e-01;
export const P2: f64 = -2.77777777770155933842e-03;
export const P3: f64 = 6.61375632143793436117e-05;
export const P4: f64 = -1.65339022054652515390e-06;
export const P5: f64 = 4.13813679705723846039e-08;
export const O_THRESHOLD: f64 = 7.09782712893383973096e+02;
export const U_THRESHOLD: f64 = -7.45133219101941108420e+02;
export const GELU_C: f64 = 0.7978845608028654;
export const GELU_K: f64 = 0.044715;

const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;

@inline function twoPow(k: i32): f64 {
  return reinterpret<f64>(<i64>(k + 1023) << 52);
}

export function exp64(x: f64): f64 {
  if (x != x) return x;
  if (x > O_THRESHOLD) return Infinity;
  if (x < U_THRESHOLD) return 0;
  const ax = x < 0 ? -x : x;
  let hi: f64 = 0;
  let lo: f64 = 0;
  let k: i32 = 0;
  if (ax > 0.5 * 0.6931471805599453) {
    if (ax < 1.5 * 0.6931471805599453) {
      k = x < 0 ? -1 : 1;
      hi = x - <f64>k * LN2_HI;
      lo = <f64>k * LN2_LO;
    } else {
      k = <i32>trunc<f64>(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
      hi = x - <f64>k * LN2_HI;
      lo = <f64>k * LN2_LO;
    }
    x = hi - lo;
  } else if (ax < 3.725290298461914e-9) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k > 1023) return y * 2 * twoPow(k - 1);
  if (k >= -1021) return y * twoPow(k);
  return y * twoPow(k + 1000) * twoPow(-1000);
}

export function tanh64(x: f64): f64 {
  if (x != x) return x;
  if (x > 20) return 1;
  if (x < -20) return -1;
  const ax = x < 0 ? -x : x;
  if (ax < 1e-8) return x;
  const e = exp64(-2 * ax);
  const r = (1 - e) / (1 + e);
  return x < 0 ? -r : r;
}

@inline export function exp32(x: f32): f32 {
  return <f32>exp64(<f64>x);
}

@inline export function gelu32(x32: f32): f32 {
  const x = <f64>x32;
  const u = GELU_C * (x + GELU_K * x * x * x);
  return <f32>(0.5 * x * (1 + tanh64(u)));
}

@inline export function geluGrad32(x32: f32): f32 {
  const x = <f64>x32;
  const x2 = x * x;
  const t = tanh64(GELU_C * (x + GELU_K * x2 * x));
  return <f32>(0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x2));
}

@inline function highWord(x: f64): i32 {
  return <i32>(reinterpret<u64>(x) >> 32);
}

@inline function withHighWord(x: f64, hi: i32): f64 {
  return reinterpret<f64>((reinterpret<u64>(x) & 0xffffffff) | (<u64><u32>hi << 32));
}

export function log64(x: f64): f64 {
  if (x != x || x < 0) return NaN;
  if (x == 0) return -Infinity;
  if (x == Infinity) return Infinity;
  let v = x;
  let hx = highWord(v);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    k -= 54;
    v = x * 18014398509481984;
    hx = highWord(v);
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  v = withHighWord(v, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = v - 1;
  const dk = <f64>k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f == 0) return k == 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - R : dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    return k == 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  return k == 0 ? f - s * (f - R) : dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

@inline export function log32(x: f32): f32 {
  return <f32>log64(<f64>x);
}
