// Reproducible float64 transcendental functions built only from IEEE + - * / (REFERENCE §2):
// Math.exp/log/pow are "implementation-approximated" and differ between Node and Bun.
// Ports of FreeBSD msun / fdlibm e_exp.c and e_log.c (error < 1 ulp).

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: u32[1] is the high word

const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e+00;
const P1 = 1.66666666666666019037e-01;
const P2 = -2.77777777770155933842e-03;
const P3 = 6.61375632143793436117e-05;
const P4 = -1.65339022054652515390e-06;
const P5 = 4.13813679705723846039e-08;
const O_THRESHOLD = 7.09782712893383973096e+02;
const U_THRESHOLD = -7.45133219101941108420e+02;

/** 2^k for integer k in [-1022, 1023], built from bits (exact). */
export function twoPow(k: number): number {
  u32[0] = 0;
  u32[1] = ((k + 1023) << 20) >>> 0;
  return f64[0];
}

/** e^x, reproducible on every engine. */
export function exp(x: number): number {
  if (x !== x) return x;
  if (x > O_THRESHOLD) return Infinity;
  if (x < U_THRESHOLD) return 0;
  const ax = x < 0 ? -x : x;
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ax > 0.5 * 0.6931471805599453) {
    if (ax < 1.5 * 0.6931471805599453) {
      k = x < 0 ? -1 : 1;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    } else {
      k = Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (ax < 3.725290298461914e-9) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k > 1023) return y * 2 * twoPow(k - 1);
  if (k >= -1021) return y * twoPow(k);
  return y * twoPow(k + 1000) * twoPow(-1000);
}

const LG1 = 6.666666666666735130e-01;
const LG2 = 3.999999999940941908e-01;
const LG3 = 2.857142874366239149e-01;
const LG4 = 2.222219843214978396e-01;
const LG5 = 1.818357216161805012e-01;
const LG6 = 1.531383769920937332e-01;
const LG7 = 1.479819860511658591e-01;

/** Natural logarithm, reproducible on every engine. */
export function log(x: number): number {
  if (x !== x || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  f64[0] = x;
  let hx = u32[1] | 0;
  let k = 0;
  if (hx < 0x00100000) {
    // subnormal: scale up by 2^54
    k -= 54;
    f64[0] = x * 18014398509481984;
    hx = u32[1] | 0;
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  u32[1] = (hx | (i ^ 0x3ff00000)) >>> 0; // normalize x or x/2
  k += i >> 20;
  const f = f64[0] - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - R : dk * LN2_HI - ((R - dk * LN2_LO) - f);
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
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

/** a^b for a > 0 (exp(b log a)); exact for integer b via repeated squaring. Reproducible. */
export function pow(a: number, b: number): number {
  if (Number.isInteger(b) && Math.abs(b) <= 64) {
    let result = 1;
    let base = a;
    let n = Math.abs(b);
    while (n > 0) {
      if (n & 1) result *= base;
      base *= base;
      n >>>= 1;
    }
    return b < 0 ? 1 / result : result;
  }
  if (a === 0) return b > 0 ? 0 : Infinity;
  if (a < 0) return NaN;
  return exp(b * log(a));
}

/** Hyperbolic tangent from exp, reproducible. */
export function tanh(x: number): number {
  if (x !== x) return x;
  if (x > 20) return 1;
  if (x < -20) return -1;
  const ax = x < 0 ? -x : x;
  if (ax < 1e-8) return x;
  const e = exp(-2 * ax);
  const r = (1 - e) / (1 + e);
  return x < 0 ? -r : r;
}

/** log base 2, reproducible. */
export function log2(x: number): number {
  return log(x) / 0.6931471805599453;
}

// cos for |x| <= 2^20 * pi/2: Cody-Waite reduction by pi/2 (fdlibm's pio2_1 + pio2_1t) and the
// fdlibm/FreeBSD k_cos.c and k_sin.c kernels on [-pi/4, pi/4] (error < 1 ulp there); used by
// cosine learning-rate schedules (REFERENCE §5), where x = pi x a share of the run.
const PIO2_HI = 1.57079632673412561417e+00;
const PIO2_LO = 6.07710050650619224932e-11;
const INV_PIO2 = 6.36619772367581382433e-01;
const C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
const S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;

function kernelCos(x: number): number {
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  const hz = 0.5 * z;
  const w = 1 - hz;
  return w + ((1 - w - hz) + z * r);
}

function kernelSin(x: number): number {
  const z = x * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x + z * x * (S1 + z * r);
}

/** cos(x), reproducible on every engine, for |x| <= 2^20 * pi/2 (beyond: ConfigError-free NaN). */
export function cos(x: number): number {
  if (x !== x || x === Infinity || x === -Infinity) return NaN;
  const ax = x < 0 ? -x : x;
  if (ax > 1647099.3291652855) return NaN; // 2^20 * pi/2: the two-term reduction stays exact below
  if (ax <= 0.7853981633974483) return kernelCos(ax);
  const nf = Math.round(ax * INV_PIO2);
  const y = ax - nf * PIO2_HI - nf * PIO2_LO;
  switch (nf & 3) {
    case 0: return kernelCos(y);
    case 1: return -kernelSin(y);
    case 2: return -kernelCos(y);
    default: return kernelSin(y);
  }
}
