// SkipPipe's cost model (REFERENCE §6; the reference scheduler's create_schedule.py): forward
// time of one microbatch through one stage from the node's hardware, backward = 1.5 x forward,
// loss = forward / 4 at the microbatch's stage-0 node, and each activation hop = one-way latency
// + bytes / bandwidth + a fixed overhead (default 0.35 s). Latency and bandwidth come from the
// world's regions and access links, not from a second table.

/** The virtual transformer whose stages are timed and whose activations cross the network. */
export interface VirtualPipelineModel {
  layers: number;
  width: number;
  /** Tokens per sequence. */
  context: number;
  /** Sequences per microbatch. */
  microbatch: number;
  /** Bytes per activation value on the wire (4: fp32). */
  bytesPerValue: number;
  /** Device memory per parameter while training (weights, grads, AdamW m and v in fp32: 16). */
  trainingBytesPerParameter: number;
}

/** One node as the cost model sees it (a projection of core/world's WorldNode). */
export interface CostNode {
  id: number;
  /** Sustained FLOP/s (peak x efficiency / slowdown). */
  flops: number;
  regionIndex: number;
  /** Uplink and downlink in bytes per second. */
  upBytes: number;
  downBytes: number;
  /** Last-mile one-way latency, seconds. */
  accessLatency: number;
  memoryBytes: number;
}

/** Dense costs of an instance over local node indices 0..n-1 (all times in seconds). */
export interface Costs {
  n: number;
  /** Forward of one microbatch through one stage on node i. */
  forward: Float64Array;
  /** link[i * n + j]: one activation hop from i to j. */
  link: Float64Array;
}

export const BACKWARD_FACTOR = 1.5;
export const LOSS_FACTOR = 0.25;

/** Parameters of one transformer block of width D (attention 4 D^2, MLP 8 D^2, norms and biases). */
export function blockParameters(width: number): number {
  return 12 * width * width + 13 * width;
}

/** Forward FLOPs of one stage of `layersPerStage` blocks for one microbatch (2 per weight per token + attention scores). */
export function stageForwardFlops(m: VirtualPipelineModel, layersPerStage: number): number {
  const tokens = m.microbatch * m.context;
  const perTokenPerLayer = 2 * 12 * m.width * m.width + 4 * m.context * m.width;
  return tokens * perTokenPerLayer * layersPerStage;
}

/** Bytes of the activations (and of their gradients) one microbatch carries per hop. */
export function activationBytes(m: VirtualPipelineModel): number {
  return m.microbatch * m.context * m.width * m.bytesPerValue;
}

/** Device memory a node needs to train one stage, with `slots` microbatches' activations held. */
export function stageMemoryBytes(m: VirtualPipelineModel, layersPerStage: number, slots: number): number {
  return blockParameters(m.width) * layersPerStage * m.trainingBytesPerParameter + slots * activationBytes(m) * layersPerStage;
}

/**
 * Costs of an instance: forward = FLOPs / sustained FLOP/s; hop i->j = base one-way latency (the
 * world's region matrix + both last miles, via `latency`) + bytes / min(up_i, down_j) + overhead.
 */
export function buildCosts(nodes: readonly CostNode[], forwardFlops: number, bytes: number, overhead: number, latency: (a: CostNode, b: CostNode) => number): Costs {
  const n = nodes.length;
  const forward = new Float64Array(n);
  const link = new Float64Array(n * n);
  for (let i = 0; i < n; i++) forward[i] = forwardFlops / nodes[i].flops;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const bw = nodes[i].upBytes < nodes[j].downBytes ? nodes[i].upBytes : nodes[j].downBytes;
      link[i * n + j] = latency(nodes[i], nodes[j]) + bytes / bw + overhead;
    }
  }
  return { n, forward, link };
}
