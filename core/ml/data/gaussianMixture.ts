// Gaussian-mixture classification data with Dirichlet non-iid shards across nodes (DESIGN:
// Learning): class c has mean mu_c ~ N(0, separation^2 I) and unit-variance noise.
import type { Rng } from "../../des/rng.ts";
import { ConfigError } from "../../errors.ts";

export interface GaussianMixtureConfig {
  classes: number;
  dim: number;
  /** Standard deviation of the class means (larger = easier). */
  separation: number;
  /** Noise standard deviation around each mean (default 1). */
  noise?: number;
}

export interface LabelledBatch {
  /** [n, dim] features. */
  x: Float32Array;
  /** [n] class labels as float32 integers. */
  y: Float32Array;
}

export class GaussianMixture {
  readonly cfg: GaussianMixtureConfig;
  /** [classes, dim] class means. */
  readonly means: Float64Array;

  /** Means are drawn from `rng` (e.g. streams.stream("data", "mixture")). */
  constructor(cfg: GaussianMixtureConfig, rng: Rng) {
    if (!(cfg.classes >= 2 && cfg.dim >= 1 && cfg.separation > 0)) throw new ConfigError(`GaussianMixture: bad config ${JSON.stringify(cfg)}`);
    this.cfg = cfg;
    this.means = new Float64Array(cfg.classes * cfg.dim);
    for (let i = 0; i < this.means.length; i++) this.means[i] = rng.normal(0, cfg.separation);
  }

  /** n samples; labels drawn with `classWeights` (default uniform). */
  sample(n: number, rng: Rng, classWeights?: readonly number[]): LabelledBatch {
    const { classes, dim } = this.cfg;
    const noise = this.cfg.noise ?? 1;
    const x = new Float32Array(n * dim);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = classWeights ? rng.weighted(classWeights) : rng.int(classes);
      y[i] = c;
      for (let j = 0; j < dim; j++) x[i * dim + j] = this.means[c * dim + j] + rng.normal(0, noise);
    }
    return { x, y };
  }
}

/**
 * Non-iid shards: each node's class distribution ~ Dirichlet(alpha) (small alpha = few classes
 * per node, large alpha = close to iid). Returns [nodes][classes] weights.
 */
export function dirichletClassWeights(nodes: number, classes: number, alpha: number, rng: Rng): number[][] {
  if (!(alpha > 0)) throw new ConfigError(`dirichletClassWeights: alpha must be > 0, got ${alpha}`);
  return Array.from({ length: nodes }, () => rng.dirichlet(alpha, classes));
}

/**
 * Split existing labelled examples across nodes: for each class, its examples are divided
 * among nodes in proportions ~ Dirichlet(alpha) (the usual federated non-iid split).
 * Returns each node's example indices in ascending order.
 */
export function dirichletShards(labels: Float32Array, classes: number, nodes: number, alpha: number, rng: Rng): number[][] {
  const shards: number[][] = Array.from({ length: nodes }, () => []);
  for (let c = 0; c < classes; c++) {
    const idx: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) idx.push(i);
    rng.shuffle(idx);
    const p = rng.dirichlet(alpha, nodes);
    let start = 0;
    let cum = 0;
    for (let k = 0; k < nodes; k++) {
      cum += p[k];
      const end = k === nodes - 1 ? idx.length : Math.round(cum * idx.length);
      for (let i = start; i < end; i++) shards[k].push(idx[i]);
      start = Math.max(start, end);
    }
  }
  for (const s of shards) s.sort((a, b) => a - b);
  return shards;
}
