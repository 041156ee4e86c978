// Instability of a reward curve (SAPO §5: external-heavy mixes oscillate, "learn then forget"):
// over the w-round moving average, the number of drops (rounds where it falls) and the total
// downward variation (sum of those falls).
export interface Instability {
  drops: number;
  downward: number;
}

export function movingAverage(xs: readonly number[], w: number): number[] {
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i];
    if (i >= w) s -= xs[i - w];
    if (i >= w - 1) out.push(s / w);
  }
  return out;
}

export function instability(xs: readonly number[], w: number): Instability {
  const ma = movingAverage(xs, w);
  let drops = 0;
  let downward = 0;
  for (let i = 1; i < ma.length; i++) {
    if (ma[i] < ma[i - 1] - 1e-12) {
      drops++;
      downward += ma[i - 1] - ma[i];
    }
  }
  return { drops, downward: Math.round(downward * 1e4) / 1e4 };
}
