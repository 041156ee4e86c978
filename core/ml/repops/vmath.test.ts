// The two-lane (f64x2) exp and tanh inside the wasm module equal the scalar float64 code bit for bit
// (asm/assembly/vmath.ts vs core/des/math.ts), over wide ranges, branch boundaries and special values.
import { describe, expect, test } from "bun:test";
import { exp, tanh } from "../../des/math.ts";
import { Rng } from "../../des/rng.ts";
import { beginKernelCall } from "./repopsWasm.ts";

function viaWasm(which: 0 | 1, xs: Float64Array): Float64Array {
  const w = beginKernelCall();
  const px = w.alloc(xs.length * 2), po = w.alloc(xs.length * 2);
  new Float64Array(w.exports.memory.buffer, px, xs.length).set(xs);
  w.exports.mapF64x2(which, px, po, xs.length);
  return new Float64Array(w.exports.memory.buffer, po, xs.length).slice();
}

function sameBits(got: Float64Array, want: (x: number) => number, xs: Float64Array, what: string): void {
  const g = new BigUint64Array(got.buffer);
  const expected = new Float64Array(xs.length);
  xs.forEach((x, i) => (expected[i] = want(x)));
  const e = new BigUint64Array(expected.buffer);
  for (let i = 0; i < xs.length; i++) {
    if (g[i] !== e[i] && !(Number.isNaN(got[i]) && Number.isNaN(expected[i]))) {
      throw new Error(`${what}(${xs[i]}): wasm ${got[i]} vs scalar ${expected[i]}`);
    }
  }
}

const LN2 = 0.6931471805599453;
const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-300, -1e-300, 3.725290298461914e-9, -3.725290298461914e-9, 1e-8, -1e-8,
  0.5 * LN2, -0.5 * LN2, 1.5 * LN2, -1.5 * LN2, 20, -20, 20.000000000000004, 709.782712893384, 709.7827128933841,
  -745.1332191019411, -745.1332191019412, -708.3964185322641, -707.7, -744.9, 1023 * LN2, 1024 * LN2, -1021 * LN2, -1022 * LN2];

function inputs(seed: string, n: number): Float64Array {
  const rng = new Rng(seed);
  const xs = new Float64Array(n + SPECIAL.length + ((n + SPECIAL.length) % 2)); // even: two lanes at a time
  xs.set(SPECIAL);
  for (let i = SPECIAL.length; i < xs.length; i++) {
    const scale = [1e-9, 1e-3, 1, 30, 800][rng.int(5)];
    xs[i] = rng.uniform(-scale, scale);
  }
  // neighbours of every special value
  for (let i = 0; i < SPECIAL.length && SPECIAL.length + i + 1 < xs.length; i += 2) xs[SPECIAL.length + i] = SPECIAL[i] * (1 + 2.220446049250313e-16);
  return xs;
}

describe("f64x2 exp and tanh equal the scalar float64 code", () => {
  test("fixed seed", () => {
    const xs = inputs("vmath-fixed", 20000);
    sameBits(viaWasm(0, xs), exp, xs, "exp");
    sameBits(viaWasm(1, xs), tanh, xs, "tanh");
  });
  test("property: 10 seeds", () => {
    for (let s = 0; s < 10; s++) {
      const xs = inputs(`vmath-${s}`, 4000);
      sameBits(viaWasm(0, xs), exp, xs, "exp");
      sameBits(viaWasm(1, xs), tanh, xs, "tanh");
    }
  });
});
