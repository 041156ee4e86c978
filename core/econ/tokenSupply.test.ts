// Supply buckets read from ledger balances: genesis, moves, stakes and burns conserve exactly.
import { describe, expect, test } from "bun:test";
import { defaultLedgerConfig, MAX_SUPPLY, MemoryLedger } from "../ledger/index.ts";
import { assertConserved, tokenSupply } from "./tokenSupply.ts";

describe("tokenSupply over the ledger", () => {
  test("genesis: the pool seed is the pool bucket, the deployer's rest circulates", () => {
    const l = new MemoryLedger(defaultLedgerConfig);
    const s = assertConserved(l, "genesis");
    expect(s.pool).toBe(defaultLedgerConfig.pool.seedGsn);
    expect(s.circulating).toBe(MAX_SUPPLY - defaultLedgerConfig.pool.seedGsn);
    expect(s.burned).toBe(0n);
  });

  test("transfers, stakes and burns move tokens between buckets and keep the sum exact", () => {
    const l = new MemoryLedger(defaultLedgerConfig);
    l.transfer("deployer", "treasury", "GSN", 500n);
    l.transfer("deployer", "stakers", "GSN", 300n);
    l.stake("stakers", 200n);
    l.burn("deployer", 7n);
    const s = assertConserved(l, "after");
    expect([s.treasury, s.staked, s.burned]).toEqual([500n, 200n, 7n]);
    expect(s.circulating + s.staked + s.treasury + s.emissions + s.pool + s.vault + s.burned).toBe(MAX_SUPPLY);
    expect(tokenSupply(l)).toEqual(s);
  });
});
