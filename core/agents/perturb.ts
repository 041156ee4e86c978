// How adversaries corrupt a tensor: a copy with a visible, deterministic change (never in place).

/** A copy of `t` with `delta` added to every element (a wrong result that later ops cannot mask). */
export function perturbed(t: Float32Array, delta: number): Float32Array {
  const out = new Float32Array(t.length);
  for (let k = 0; k < t.length; k++) out[k] = Math.fround(t[k] + delta);
  return out;
}
