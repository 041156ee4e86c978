// RpcPipe: pipelined requests on one connection are answered in order (a read after evm_mine
// sees the mined block), quickly, and a failed call is named.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startAnvil, type ChainNode } from "./anvil.ts";
import { ChainError } from "./chainError.ts";
import { RpcPipe } from "./rpcPipe.ts";

let node: ChainNode;
beforeAll(async () => {
  node = await startAnvil();
});
afterAll(async () => {
  await node.stop();
});

describe("RpcPipe", () => {
  test("three pipelined requests run in order: the block number read after evm_mine is one higher", async () => {
    const pipe = new RpcPipe(node.url);
    try {
      const [before, mined, after] = await pipe.send([
        { method: "eth_blockNumber", params: [] },
        { method: "evm_mine", params: [1_700_000_100] },
        [{ method: "eth_blockNumber", params: [] }, { method: "eth_chainId", params: [] }],
      ]);
      expect(Number((after as string[])[0])).toBe(Number(before) + 1);
      expect(mined).toBe("0x0");
      expect((after as string[])[1]).toBe("0x7a69");
      // Many rounds in a row keep working (answers are framed and matched correctly).
      for (let i = 0; i < 20; i++) {
        const r = await pipe.send([{ method: "eth_chainId", params: [] }, { method: "eth_chainId", params: [] }]);
        expect(r).toEqual(["0x7a69", "0x7a69"]);
      }
    } finally {
      pipe.close();
    }
  });

  test("a failing call is reported with its label", async () => {
    const pipe = new RpcPipe(node.url);
    try {
      const err = await pipe.send([{ method: "eth_sendRawTransaction", params: ["0x00"] }], () => "ledger change #1").catch((e) => e);
      expect(err).toBeInstanceOf(ChainError);
      expect(err.message).toContain("eth_sendRawTransaction failed for ledger change #1");
    } finally {
      pipe.close();
    }
  });
});
