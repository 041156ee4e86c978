// The committed contract artifacts (contracts/artifacts) equal a fresh offline forge build.
import { expect, test } from "bun:test";
import { buildArtifacts, CONTRACTS, staleArtifacts } from "./build-contracts.ts";

test("committed artifacts match a fresh forge build (abi + bytecode)", () => {
  const fresh = buildArtifacts();
  expect([...fresh.keys()]).toEqual([...CONTRACTS]);
  for (const text of fresh.values()) {
    const a = JSON.parse(text);
    expect(a.bytecode).toMatch(/^0x6[01][0-9a-f]{1000,}$/); // PUSH1/PUSH2 free-memory-pointer prologue
    expect(a.abi.length).toBeGreaterThan(5);
  }
  expect(staleArtifacts(fresh)).toEqual([]);
}, 180_000);
