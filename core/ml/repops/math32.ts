// Reproducible float32 transcendental functions for RepOps (REFERENCE §2): evaluated in float64 with
// the IEEE-only algorithms of core/des/math.ts, then rounded once to float32 with Math.fround.
// Every step is a correctly rounded IEEE operation, so results are identical on every engine; the
// WebAssembly kernels (asm/math.ts) port the same float64 code line for line and match bit for bit.
// Accuracy: the float64 value is within ~1 float64 ulp, so the float32 result is almost always the
// correctly rounded one (tests: within 1 float32 ulp of Math.* over wide ranges).
import { exp, log, tanh } from "../../des/math.ts";

/** sqrt(2 / pi), the tanh-form GELU scale. */
export const GELU_C = 0.7978845608028654;
/** Cubic coefficient of the tanh-form GELU (Hendrycks & Gimpel; GPT-2). */
export const GELU_K = 0.044715;

const fr = Math.fround;

/** e^x rounded to float32. */
export function exp32(x: number): number {
  return fr(exp(x));
}

/** Natural log rounded to float32 (NaN below 0, -Infinity at 0). */
export function log32(x: number): number {
  return fr(log(x));
}

/** tanh rounded to float32. */
export function tanh32(x: number): number {
  return fr(tanh(x));
}

/** Logistic sigmoid 1 / (1 + e^-x) rounded to float32. */
export function sigmoid32(x: number): number {
  return fr(1 / (1 + exp(-x)));
}

/** sqrt rounded to float32 (Math.sqrt is correctly rounded everywhere). */
export function sqrt32(x: number): number {
  return fr(Math.sqrt(x));
}

/** 1 / sqrt(x) rounded to float32 (float64 sqrt and divide, one final rounding). */
export function rsqrt32(x: number): number {
  return fr(1 / Math.sqrt(x));
}

/**
 * Error function rounded to float32. |x| >= 4 gives +-1 (erfc(4) = 1.5e-8 is below half a float32
 * ulp of 1); otherwise the Maclaurin series erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)),
 * summed in float64 until the term stops changing the sum (cancellation costs < 1e-10 absolute).
 */
export function erf32(x: number): number {
  if (x !== x) return x;
  if (x >= 4) return 1;
  if (x <= -4) return -1;
  const x2 = x * x;
  let power = x; // (-1)^n x^(2n+1) / n!
  let sum = x;
  for (let n = 1; n < 200; n++) {
    power = (-power * x2) / n;
    const next = sum + power / (2 * n + 1);
    if (next === sum) break;
    sum = next;
  }
  return fr(1.1283791670955126 * sum);
}

/** GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), float64 inside, one rounding. */
export function gelu32(x: number): number {
  const u = GELU_C * (x + GELU_K * x * x * x);
  return fr(0.5 * x * (1 + tanh(u)));
}

/** d gelu / dx (tanh form), float64 inside, one rounding. The backward kernel is fround(dy * this). */
export function geluGrad32(x: number): number {
  const x2 = x * x;
  const t = tanh(GELU_C * (x + GELU_K * x2 * x));
  return fr(0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * x2));
}

/** GELU, erf form: 0.5 x (1 + erf(x / sqrt 2)), for models that want the exact form (not in wasm). */
export function geluErf32(x: number): number {
  return fr(0.5 * x * (1 + erf32(x / Math.SQRT2)));
}
