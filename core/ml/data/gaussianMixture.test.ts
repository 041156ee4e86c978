// Gaussian mixture data and Dirichlet non-iid shards.
import { describe, expect, test } from "bun:test";
import { RngStreams } from "../../des/rng.ts";
import { GaussianMixture, dirichletClassWeights, dirichletShards } from "./gaussianMixture.ts";

describe("GaussianMixture", () => {
  test("same stream, same samples; labels cover the classes", () => {
    const mk = () => new GaussianMixture({ classes: 4, dim: 3, separation: 2 }, new RngStreams(5).stream("m")).sample(200, new RngStreams(5).stream("s"));
    const a = mk();
    expect([...a.x]).toEqual([...mk().x]);
    expect(new Set(a.y).size).toBe(4);
  });
});

describe("Dirichlet shards", () => {
  test("every example lands in exactly one shard (seed 8)", () => {
    const streams = new RngStreams(8);
    const { y } = new GaussianMixture({ classes: 5, dim: 2, separation: 1 }, streams.stream("m")).sample(1000, streams.stream("s"));
    const shards = dirichletShards(y, 5, 7, 0.3, streams.stream("shard"));
    const all = shards.flat().sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
  test("small alpha gives skewed class mixes, large alpha near-uniform ones", () => {
    const rng = new RngStreams(6).stream("w");
    const maxShare = (alpha: number) => {
      const w = dirichletClassWeights(50, 10, alpha, rng);
      return w.reduce((s, row) => s + Math.max(...row), 0) / w.length;
    };
    expect(maxShare(0.1)).toBeGreaterThan(0.6);
    expect(maxShare(100)).toBeLessThan(0.2);
  });
});
