// NoLoCo outer step (REFERENCE §5): no all-reduce; every H inner steps ranks are paired at random
// (seeded by the step) and each rank i of a group g updates its slow weights phi_i:
//   m_i <- beta*m_i + alpha*mean_g(theta - phi) + alpha*(mean_g(phi) - phi_i)
//   phi_i <- phi_i + m_i;  theta_i <- phi_i
import { ConfigError } from "../errors.ts";
import type { RngStreams } from "../des/rng.ts";

/** NoLoCo's published outer settings: outer lr (alpha) 0.7, outer momentum (beta) 0.5. */
export const NOLOCO_OUTER = { alpha: 0.7, beta: 0.5 } as const;

/**
 * Random groups of `size` (default 2) for one outer step, seeded by the step number: shuffle the
 * ranks with the stream ("noloco", "pairs", step) and cut the order into runs of `size`; ranks
 * left over join the last group (with pairs and an odd count the last group has 3).
 * Each group is sorted ascending; groups are ordered by their first rank.
 */
export function pairRanks(ranks: readonly number[], step: number, streams: RngStreams, size = 2): number[][] {
  if (!Number.isInteger(size) || size < 2) throw new ConfigError(`pairRanks: group size must be an integer >= 2, got ${size}`);
  const order = [...ranks].sort((a, b) => a - b);
  streams.stream("noloco", "pairs", step).shuffle(order);
  const groups: number[][] = [];
  let i = 0;
  for (; i + size <= order.length; i += size) groups.push(order.slice(i, i + size));
  if (i < order.length) {
    if (groups.length === 0) groups.push(order.slice(i));
    else groups[groups.length - 1].push(...order.slice(i));
  }
  for (const g of groups) g.sort((a, b) => a - b);
  groups.sort((a, b) => a[0] - b[0]);
  return groups;
}

/**
 * Apply the NoLoCo update to every rank of one group, in place on the batched arrays
 * (replica r's parameters at r*stride .. r*stride+stride). Group means are taken before any write.
 */
export function nolocoGroupUpdate(
  group: readonly number[],
  theta: Float32Array,
  phi: Float32Array,
  momentum: Float32Array,
  stride: number,
  alpha: number,
  beta: number,
): void {
  if (group.length === 0) throw new ConfigError("nolocoGroupUpdate: empty group");
  const inv = 1 / group.length;
  for (let j = 0; j < stride; j++) {
    let drift = 0; // sum of theta - phi over the group
    let slow = 0; // sum of phi over the group
    for (let k = 0; k < group.length; k++) {
      const o = group[k] * stride + j;
      drift += Math.fround(theta[o] - phi[o]);
      slow += phi[o];
    }
    const meanDrift = Math.fround(drift * inv);
    const meanSlow = Math.fround(slow * inv);
    for (let k = 0; k < group.length; k++) {
      const o = group[k] * stride + j;
      const m = Math.fround(
        Math.fround(beta * momentum[o]) + Math.fround(alpha * meanDrift) + Math.fround(alpha * Math.fround(meanSlow - phi[o])),
      );
      momentum[o] = m;
      const p = Math.fround(phi[o] + m);
      phi[o] = p;
      theta[o] = p;
    }
  }
}

/**
 * Replica drift: the mean L2 distance between the parameter vectors of every pair of the listed
 * replicas (replica r at r*stride), over the parameter range [from, to). Float64 sums, pairs in
 * ascending order; 0 with fewer than 2 replicas.
 */
export function meanPairwiseDistance(params: Float32Array, stride: number, replicas: readonly number[], from = 0, to = stride): number {
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < replicas.length; a++) {
    for (let b = a + 1; b < replicas.length; b++) {
      const oa = replicas[a] * stride;
      const ob = replicas[b] * stride;
      let sq = 0;
      for (let j = from; j < to; j++) {
        const d = params[oa + j] - params[ob + j];
        sq += d * d;
      }
      sum += Math.sqrt(sq);
      pairs++;
    }
  }
  return pairs === 0 ? 0 : sum / pairs;
}

/**
 * gensyn-ai/noloco's replica drift (train.py eval_weight_variance): the root mean square, over every
 * parameter of every listed replica, of its distance to the replicas' mean of that parameter.
 * Float64 sums; 0 with fewer than 2 replicas.
 */
export function replicaWeightStd(params: Float32Array, stride: number, replicas: readonly number[]): number {
  const n = replicas.length;
  if (n < 2) return 0;
  let sq = 0;
  for (let j = 0; j < stride; j++) {
    let mean = 0;
    for (const r of replicas) mean += params[r * stride + j];
    mean /= n;
    for (const r of replicas) {
      const d = params[r * stride + j] - mean;
      sq += d * d;
    }
  }
  return Math.sqrt(sq / (stride * n));
}
