// Per-block transaction batching: ledger changes queue as calls, then one block is made from
// them: sign locally with tracked nonces (txSigner.ts, a chunk at a time), send the raw
// transactions in JSON-RPC batches, set the next block timestamp to virtual time and mine
// (STACK.md: pre-signed batches, then mine), all in one round trip. Each chunk is written as
// soon as it is signed, so anvil recovers and pools chunk k while this process signs chunk k+1.
import { toHex, type Address, type Hex } from "viem";
import { rpcCall } from "./anvil.ts";
import { ChainError } from "./chainError.ts";
import { jsonRpcBatch, type RpcRequest } from "./jsonRpcBatch.ts";
import { RpcPipe } from "./rpcPipe.ts";
import { signLegacyBatch, type SigningKey } from "./txSigner.ts";

/** One queued contract call: who sends it, where, the calldata, and a label for errors. */
export interface QueuedCall {
  from: SigningKey;
  /** Contract address, or null to create a contract (data = bytecode + constructor args). */
  to: Address | null;
  data: Hex;
  label: string;
  /** Gas limit; anvil runs with --disable-block-gas-limit so a generous default is free. */
  gas?: bigint;
}

export interface MinedBlock {
  number: bigint;
  timestamp: number;
  txCount: number;
}

interface Receipt {
  status: Hex;
  transactionHash: Hex;
}

const DEFAULT_GAS = 3_000_000n;
/** Ether given to each sender: gas prices are tiny (1..n wei) but not zero. */
const FUNDING = "0x3635c9adc5dea00000"; // 1,000 ether
const RPC_TIMEOUT_MS = 60_000;

export class BlockBatcher {
  private queue: QueuedCall[] = [];
  private readonly nonces = new Map<Address, number>();
  /** Transaction hash -> ledger change label, for the last few blocks (error messages). */
  private readonly recent = new Map<bigint, Map<Hex, string>>();
  /** Number of the latest block (read once, then counted here: only this batcher mines). */
  private head: bigint | null = null;

  private readonly pipe: RpcPipe;

  constructor(
    /** The node's JSON-RPC URL. */
    readonly url: string,
    readonly chainId: number,
    /** Transactions per JSON-RPC batch (signed and written together). */
    private readonly chunk = 250,
  ) {
    this.pipe = new RpcPipe(url);
  }

  /** Reads the chain head once; from then on this batcher counts the blocks it mines. */
  async start(): Promise<void> {
    this.head = BigInt((await this.rpc("eth_blockNumber")) as Hex);
  }

  /** Number the next mined block will have. */
  get nextBlockNumber(): bigint {
    if (this.head === null) throw new ChainError("BlockBatcher.start() was not awaited");
    return this.head + 1n;
  }

  enqueue(call: QueuedCall): void {
    this.queue.push(call);
  }

  get pending(): number {
    return this.queue.length;
  }

  rpc(method: string, params: unknown[] = []): Promise<unknown> {
    return rpcCall(this.url, method, params, RPC_TIMEOUT_MS).catch((err) => {
      throw err instanceof ChainError ? err : new ChainError(`${method} failed at ${this.url}: ${(err as Error).message}`, { cause: err });
    });
  }

  /** First use of a sender: read its nonce from the chain (then tracked here) and fund it. */
  private async prepareSenders(calls: QueuedCall[]): Promise<void> {
    const fresh = [...new Set(calls.map((c) => c.from.address))].filter((a) => !this.nonces.has(a));
    if (fresh.length === 0) return;
    const counts = await jsonRpcBatch(this.url, "eth_getTransactionCount", fresh.map((a) => [a, "latest"]));
    await jsonRpcBatch(this.url, "anvil_setBalance", fresh.map((a) => [a, FUNDING]));
    fresh.forEach((a, i) => this.nonces.set(a, Number(counts[i])));
  }

  /** Signs calls[from, to) with the next nonces; call i of n pays gas price n - i (mineBlock). */
  private signChunk(calls: QueuedCall[], from: number, to: number): Hex[] {
    const items = [];
    for (let i = from; i < to; i++) {
      const c = calls[i];
      const nonce = this.nonces.get(c.from.address)!;
      this.nonces.set(c.from.address, nonce + 1);
      items.push({ key: c.from, tx: { nonce, gasPrice: BigInt(calls.length - i), gas: c.gas ?? DEFAULT_GAS, to: c.to, data: c.data } });
    }
    return signLegacyBatch(items, this.chainId);
  }

  /**
   * Ledger changes of a recent block that reverted on chain. Receipts cost anvil ~0.7 ms each,
   * so they are read only to explain a reconciliation failure, not after every block.
   */
  async revertedIn(block: bigint): Promise<string[]> {
    const labels = this.recent.get(block);
    if (!labels || labels.size === 0) return [];
    const receipts = (await this.rpc("eth_getBlockReceipts", [toHex(block)])) as Receipt[];
    return receipts.filter((r) => r.status !== "0x1").map((r) => `${labels.get(r.transactionHash) ?? "?"} (${r.transactionHash})`);
  }

  /**
   * Mines one block holding every queued call, in queue order, with the given timestamp
   * (seconds); `then` (e.g. reconciliation reads) runs right after the block, in the same round
   * trip. Resolves once the calls are signed and written: `done` settles when the node has
   * answered, with `then`'s results. Blocks may be in flight together: one connection, answered
   * in order, so block k+1's transactions reach the node after block k is mined.
   */
  async mineBlock(timestamp: number, then: RpcRequest[] = [], describeThen?: (i: number) => string): Promise<{ block: MinedBlock; done: Promise<unknown[]> }> {
    const calls = this.queue;
    this.queue = [];
    await this.prepareSenders(calls);
    if (this.head === null) await this.start();
    const number = ++this.head!;
    const labels = new Map<Hex, string>();
    this.recent.set(number, labels);
    this.recent.delete(number - 8n);
    // Block order = queue order: anvil runs with --order fees and call i of n pays gas price
    // n - i, so the next call in the queue is always the best-paying ready one (with equal
    // prices anvil does not keep arrival order across senders).
    // One round trip of HTTP requests the node runs in order on one connection (rpcPipe.ts):
    // the transactions (batches of `chunk`, each written once signed), evm_mine at the block's
    // timestamp (= evm_setNextBlockTimestamp then evm_mine; never inside a batch, whose items
    // run concurrently), then the reads.
    const parts: Promise<unknown[]>[] = [];
    for (let k = 0; k < calls.length; k += this.chunk) {
      const end = Math.min(calls.length, k + this.chunk);
      const raws = this.signChunk(calls, k, end);
      parts.push(
        this.pipe
          .send([raws.map((r) => ({ method: "eth_sendRawTransaction", params: [r] }))], (_r, j) => `ledger change ${calls[k + j].label}`)
          .then(([hashes]) => {
            (hashes as Hex[]).forEach((h, j) => labels.set(h, calls[k + j].label));
            return [];
          }),
      );
      // Let the event loop write this chunk before signing the next one.
      if (end < calls.length) await new Promise((r) => setImmediate(r));
    }
    parts.push(
      this.pipe.send(then.length > 0 ? [{ method: "evm_mine", params: [timestamp] }, then] : [{ method: "evm_mine", params: [timestamp] }], (r, j) =>
        r === 0 ? `evm_mine(${timestamp})` : (describeThen?.(j) ?? `read ${j}`),
      ),
    );
    const done = Promise.all(parts).then((results) => {
      const last = results[results.length - 1];
      return then.length > 0 ? (last[1] as unknown[]) : [];
    });
    return { block: { number, timestamp, txCount: calls.length }, done };
  }

  /** Closes the connection to the node. */
  close(): void {
    this.pipe.close();
  }
}
