// Per-block transaction batching: ledger changes queue as calls, then one block is made from
// them: sign locally with tracked nonces, send the raw transactions in JSON-RPC batches, set
// the next block timestamp to virtual time and mine (STACK.md: pre-signed batches, then mine).
import { toHex, type Address, type Hex, type LocalAccount } from "viem";
import { rpcCall } from "./anvil.ts";
import { ChainError } from "./chainError.ts";
import { jsonRpcBatch, jsonRpcRequests, type RpcRequest } from "./jsonRpcBatch.ts";

/** One queued contract call: who sends it, where, the calldata, and a label for errors. */
export interface QueuedCall {
  from: LocalAccount;
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
  private lastBlock: { number: bigint; labels: Map<Hex, string> } | null = null;
  /** Number of the latest block (read once, then counted here: only this batcher mines). */
  private head: bigint | null = null;
  /** Transactions and blocks made so far. */
  txMined = 0;
  blocksMined = 0;

  constructor(
    /** The node's JSON-RPC URL. */
    readonly url: string,
    readonly chainId: number,
    /** Transactions signed and sent per JSON-RPC batch. */
    private readonly chunk = 250,
  ) {}

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

  private sign(c: QueuedCall, gasPrice: bigint): Promise<Hex> {
    const nonce = this.nonces.get(c.from.address)!;
    this.nonces.set(c.from.address, nonce + 1);
    return c.from.signTransaction!({
      type: "legacy",
      chainId: this.chainId,
      nonce,
      to: c.to ?? undefined,
      data: c.data,
      gas: c.gas ?? DEFAULT_GAS,
      gasPrice,
    });
  }

  /**
   * Ledger changes of the last block that reverted on chain. Receipts cost anvil ~0.7 ms each,
   * so they are read only to explain a reconciliation failure, not after every block.
   */
  async revertedInLastBlock(): Promise<string[]> {
    if (!this.lastBlock || this.lastBlock.labels.size === 0) return [];
    const receipts = (await this.rpc("eth_getBlockReceipts", [toHex(this.lastBlock.number)])) as Receipt[];
    return receipts.filter((r) => r.status !== "0x1").map((r) => `${this.lastBlock!.labels.get(r.transactionHash) ?? "?"} (${r.transactionHash})`);
  }

  /** Mine one block holding every queued call, in queue order, with the given timestamp (seconds). */
  async mineBlock(timestamp: number): Promise<MinedBlock> {
    const calls = this.queue;
    this.queue = [];
    await this.prepareSenders(calls);
    this.head ??= BigInt((await this.rpc("eth_blockNumber")) as Hex);
    // Block order = queue order: anvil runs with --order fees and call i of n pays gas price
    // n - i, so the next call in the queue is always the best-paying ready one (with equal
    // prices anvil does not keep arrival order across senders). Each chunk goes out as one
    // JSON-RPC batch once the previous one was answered, while the next chunk is signed
    // (signing here overlaps anvil's checks there). Then evm_mine at the block's timestamp
    // (= evm_setNextBlockTimestamp then evm_mine, one round trip). It must not share a batch
    // with the transactions: anvil runs a batch's requests concurrently and would mine early.
    // The block's transaction count is checked by the reconciliation that follows (reconcile.ts).
    let sent: Promise<unknown[]> = Promise.resolve([]);
    const sends: Promise<unknown[]>[] = [];
    for (let k = 0; k < calls.length; k += this.chunk) {
      const requests: RpcRequest[] = [];
      for (let i = k; i < Math.min(k + this.chunk, calls.length); i++) {
        requests.push({ method: "eth_sendRawTransaction", params: [await this.sign(calls[i], BigInt(calls.length - i))] });
      }
      const first = k;
      const label = (i: number) => `ledger change ${calls[first + i].label}`;
      sent = sent.then(() => jsonRpcRequests(this.url, requests, { chunk: requests.length, label }));
      sends.push(sent);
    }
    const hashes = (await Promise.all(sends)).flat() as Hex[];
    await this.rpc("evm_mine", [timestamp]);
    const number = ++this.head;
    this.lastBlock = { number, labels: new Map(hashes.map((h, i) => [h, calls[i].label])) };
    this.txMined += calls.length;
    this.blocksMined++;
    return { number, timestamp, txCount: calls.length };
  }
}
