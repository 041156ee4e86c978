import { describe, expect, test } from "bun:test";
import { SupplyBook } from "./supplyBook.ts";

describe("SupplyBook", () => {
  test("genesis puts the unallocated rest in circulation", () => {
    const b = new SupplyBook(1000n, { treasury: 200n, pool: 100n });
    expect(b.get("circulating")).toBe(700n);
    b.assertConserved("genesis");
  });
  test("moves and burns keep the buckets summing to the minted supply", () => {
    const b = new SupplyBook(1000n, { treasury: 200n });
    b.move("treasury", "staked", 50n, "stake");
    b.burn("circulating", 30n, "burn");
    expect(b.totalSupply()).toBe(970n);
    b.assertConserved("after");
    expect(b.snapshot()).toEqual({ minted: 1000n, circulating: 770n, staked: 50n, treasury: 150n, emissions: 0n, pool: 0n, vault: 0n, burned: 30n });
  });
  test("overdrafts, un-burns and over-allocation are refused with the values", () => {
    const b = new SupplyBook(1000n, { treasury: 200n });
    expect(() => b.move("treasury", "pool", 201n, "spend")).toThrow("spend: treasury holds 200 wei, cannot move 201 to pool");
    b.burn("treasury", 1n, "burn");
    expect(() => b.move("burned", "treasury", 1n, "unburn")).toThrow("cannot come back");
    expect(() => new SupplyBook(10n, { treasury: 11n })).toThrow("exceed");
  });
});
