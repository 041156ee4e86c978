// Counter-based random streams for per-node draws at scale (a million nodes): draw k of node i
// for one purpose is a hash of (key, i, k), where the key comes from the named stream of that
// purpose (e.g. ("network", "net")). A node's draws depend only on the seed, the purpose, its id
// and how many it drew before, never on other nodes; the state is one 4-byte counter per node
// instead of a generator object (~400 bytes). Integer ops only: identical on every engine.
import type { RngStreams, StreamKey } from "../des/index.ts";
import { log } from "../des/math.ts";

/** murmur3's 32-bit finalizer: a bijection with full avalanche. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** What duration distributions draw from (core/world/distribution.ts). */
export interface Draws {
  /** Uniform in [0, 1). */
  random(): number;
  /** Standard normal. */
  normal(): number;
}

export class CounterStream implements Draws {
  private readonly k1: number;
  private readonly k2: number;
  private counters: Uint32Array;
  private current = 0;

  constructor(streams: RngStreams, size: number, ...purpose: StreamKey[]) {
    const r = streams.stream(...purpose);
    this.k1 = Math.floor(r.random() * 4294967296) >>> 0;
    this.k2 = Math.floor(r.random() * 4294967296) >>> 0;
    this.counters = new Uint32Array(Math.max(1, size));
  }

  /** Uniform in [0, 1) for node `id` (32 random bits, like Alea's random()). */
  uniform(id: number): number {
    if (id >= this.counters.length) this.grow(id);
    const k = this.counters[id]++;
    const h = fmix((this.k1 ^ Math.imul(id, 0x9e3779b1)) >>> 0);
    return fmix((h + Math.imul(k, 0x27d4eb2f) + this.k2) >>> 0) / 4294967296;
  }

  private grow(id: number): void {
    const c = new Uint32Array(Math.max(id + 1, this.counters.length * 2));
    c.set(this.counters);
    this.counters = c;
  }

  /** Draws so far for a node. */
  drawn(id: number): number {
    return id < this.counters.length ? this.counters[id] : 0;
  }

  /** Selects the node that random() / normal() draw for (a Draws view without allocation). */
  of(id: number): this {
    this.current = id;
    return this;
  }

  random(): number {
    return this.uniform(this.current);
  }

  /** Standard normal by the polar method (only log and sqrt: reproducible). */
  normal(): number {
    for (;;) {
      const u = 2 * this.random() - 1;
      const v = 2 * this.random() - 1;
      const s = u * u + v * v;
      if (s < 1 && s > 0) return u * Math.sqrt((-2 * log(s)) / s);
    }
  }

  int(id: number, n: number): number {
    return Math.floor(this.uniform(id) * n);
  }

  bernoulli(id: number, p: number): boolean {
    return this.uniform(id) < p;
  }

  exponential(id: number, mean: number): number {
    return -mean * log(1 - this.uniform(id));
  }
}
