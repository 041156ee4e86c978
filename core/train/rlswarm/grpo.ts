// GRPO as genrl runs it in RL Swarm v2 (REFERENCE §7): advantage (r - mean_g) / (std_g + 1e-8) per
// question group, clipped ratio with epsilon 0.2 (low) / 0.28 (high), no KL term (beta = 0, no
// reference model), token-mean loss, one Adam step per round. The gradient of the clipped
// surrogate min(ratio * A, clip(ratio, 1 - eLow, 1 + eHigh) * A) with respect to a token's
// log-probability is A * ratio where the unclipped term is the minimum, else 0 (clipCoefficient).
// With num_iterations = 1 (genrl's default) the ratio is exactly 1 (the sampling policy is the
// trained one), so the clip never binds; the coefficient goes through the graph as per-token loss
// weights on the transformer's cross-entropy (TransformerConfig.weighted): loss = sum(w * -log p)
// with w = coefficient * (B*T / completion tokens), i.e. the token mean of -A * ratio. With
// `iterations` > 1 the same rollouts take several Adam steps with the old log-probabilities held
// fixed, and the ratio and clip are graph ops (grpoGraph.ts).

export const CLIP_LOW = 0.2;
export const CLIP_HIGH = 0.28;

/** Group-normalised advantages of one question's L rewards. */
export function groupAdvantages(rewards: readonly number[]): number[] {
  const n = rewards.length;
  if (n === 0) return [];
  let mean = 0;
  for (const r of rewards) mean += r;
  mean /= n;
  let v = 0;
  for (const r of rewards) v += (r - mean) * (r - mean);
  // torch.std: unbiased (n - 1); one completion has no spread.
  const std = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  return rewards.map((r) => (r - mean) / (std + 1e-8));
}

/** d surrogate / d log p for one token: A * ratio inside the clip (or on its harmless side), else 0. */
export function clipCoefficient(advantage: number, ratio: number, low = CLIP_LOW, high = CLIP_HIGH): number {
  const clipped = ratio < 1 - low ? 1 - low : ratio > 1 + high ? 1 + high : ratio;
  // The minimum picks the clipped term (zero gradient) only where clipping lowers the objective.
  if (ratio * advantage <= clipped * advantage) return advantage * ratio;
  return 0;
}

/** True when a group's advantages are all zero (every completion scored the same). */
export function zeroAdvantage(rewards: readonly number[]): boolean {
  return rewards.every((r) => r === rewards[0]);
}

export interface TrainRow {
  /** Prompt then completion tokens (completion ends with its end mark when it has one). */
  prompt: number[];
  completion: number[];
  advantage: number;
}

/**
 * Fills one replica's training feeds (rows x T): tokens, next-token targets and loss weights
 * that make mean(w * xent) the GRPO token-mean loss. Rows past `rows.length` are padding (weight 0).
 */
export function fillTrainFeeds(rows: readonly TrainRow[], B: number, T: number, pad: number, out: { tokens: Float32Array; targets: Float32Array; weights: Float32Array; advantages?: Float32Array }, offset: number): void {
  out.tokens.fill(pad, offset, offset + B * T);
  out.targets.fill(pad, offset, offset + B * T);
  out.weights.fill(0, offset, offset + B * T);
  out.advantages?.fill(0, offset, offset + B * T);
  let tokens = 0;
  for (const r of rows) tokens += r.completion.length;
  if (tokens === 0) return;
  const scale = (B * T) / tokens;
  rows.slice(0, B).forEach((r, b) => {
    const seq = [...r.prompt, ...r.completion].slice(0, T + 1);
    const base = offset + b * T;
    for (let p = 0; p + 1 < seq.length; p++) {
      out.tokens[base + p] = seq[p];
      out.targets[base + p] = seq[p + 1];
      if (p + 1 < r.prompt.length) continue;
      // With an advantages feed (the clipped-surrogate graph, grpoGraph.ts) the weight is the
      // token-mean mask and the graph applies A * ratio; without, ratio = 1 and A goes in the weight.
      if (out.advantages) {
        out.weights[base + p] = scale;
        out.advantages[base + p] = r.advantage;
      } else out.weights[base + p] = clipCoefficient(r.advantage, 1) * scale;
    }
  });
}
