// HTTP/1.1 pipelining to one JSON-RPC node over one keep-alive connection: several requests are
// written at once and the node answers them in order, one after the other (anvil's server runs
// the requests of one connection serially, while the items of one JSON-RPC batch run
// concurrently). A block is then one round trip: [transactions batch, evm_mine, reads batch].
// On a busy machine every round trip waits for the scheduler, so this is what makes settlement fast.
import { connect, type Socket } from "node:net";
import { ChainError } from "./chainError.ts";
import type { RpcRequest } from "./jsonRpcBatch.ts";

interface Answer {
  id: number;
  result?: unknown;
  error?: { message: string; data?: unknown };
}

/** One HTTP request: a single JSON-RPC call, or a batch (items may run concurrently). */
export type PipeRequest = RpcRequest | RpcRequest[];

interface Waiter {
  resolve(body: string): void;
  reject(err: Error): void;
  /** An answer nobody waits for (see poke). */
  discard?: boolean;
}

export class RpcPipe {
  private socket: Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly waiters: Waiter[] = [];
  private nextId = 1;
  private readonly host: string;
  private readonly port: number;

  constructor(readonly url: string) {
    const u = new URL(url);
    if (u.protocol !== "http:") throw new ChainError(`pipelined RPC needs an http:// URL, got ${url}`);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
  }

  /** The connection being opened (sends made meanwhile wait for it, then write in order). */
  private opening: Promise<Socket> | null = null;

  private open(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.opening ??= this.connectNow().finally(() => (this.opening = null));
    return this.opening;
  }

  private async connectNow(): Promise<Socket> {
    const s = connect(this.port, this.host);
    s.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      s.once("connect", resolve);
      s.once("error", (e) => reject(new ChainError(`cannot connect to ${this.url}: ${e.message}`, { cause: e })));
    });
    s.on("data", (d: Buffer) => this.onData(d));
    const fail = (why: string) => {
      this.socket = null;
      for (const w of this.waiters.splice(0)) w.reject(new ChainError(`connection to ${this.url} ${why}`));
    };
    s.on("error", (e) => fail(`failed: ${e.message}`));
    s.on("close", () => fail("closed"));
    this.socket = s;
    return s;
  }

  /** Parses complete responses (content-length framed) off the buffer, in order. */
  private onData(d: Buffer): void {
    this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = this.buffer.subarray(0, end).toString("latin1");
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!m) {
        this.waiters.shift()?.reject(new ChainError(`${this.url} answered without content-length: ${head.split("\r\n")[0]}`));
        this.socket?.destroy();
        return;
      }
      const len = Number(m[1]);
      if (this.buffer.length < end + 4 + len) return;
      const body = this.buffer.subarray(end + 4, end + 4 + len).toString("utf8");
      this.buffer = this.buffer.subarray(end + 4 + len);
      const status = Number(head.split(" ")[1]);
      const w = this.waiters.shift();
      if (status !== 200) w?.reject(new ChainError(`${this.url} answered HTTP ${status}: ${body.slice(0, 200)}`));
      else w?.resolve(body);
      // More answers are due: send a tiny request at once so that our ACK of this answer goes
      // out now, not after the ~40 ms delayed-ACK timer; otherwise the node's Nagle algorithm
      // holds its next small answer until then. The tiny request's answer is dropped.
      if (this.waiters.some((x) => !x.discard)) this.poke();
    }
  }

  private poke(): void {
    const body = '{"jsonrpc":"2.0","id":0,"method":"eth_chainId","params":[]}';
    this.waiters.push({ resolve: () => {}, reject: () => {}, discard: true });
    this.socket?.write(`POST / HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  }

  /**
   * Writes all requests at once; resolves to each request's result (an array for a batch).
   * Throws naming the first failed call; `label(i, j)` names call j of request i.
   */
  send(requests: PipeRequest[], label?: (request: number, item: number) => string): Promise<unknown[]> {
    // Written at once when connected (so a caller can keep the CPU busy while the node works).
    if (this.socket && !this.socket.destroyed) return this.write(this.socket, requests, label);
    return this.open().then((socket) => this.write(socket, requests, label));
  }

  private async write(socket: Socket, requests: PipeRequest[], label?: (request: number, item: number) => string): Promise<unknown[]> {
    const ids: number[][] = [];
    let wire = "";
    for (const r of requests) {
      const items = Array.isArray(r) ? r : [r];
      const rid = items.map(() => this.nextId++);
      ids.push(rid);
      const json = items.map((it, k) => ({ jsonrpc: "2.0", id: rid[k], method: it.method, params: it.params }));
      const body = JSON.stringify(Array.isArray(r) ? json : json[0]);
      wire += `POST / HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    }
    const bodies = requests.map(() => new Promise<string>((resolve, reject) => this.waiters.push({ resolve, reject })));
    socket.write(wire);
    const texts = await Promise.all(bodies);
    return texts.map((text, i) => {
      const parsed = JSON.parse(text) as Answer | Answer[];
      const answers = Array.isArray(parsed) ? parsed : [parsed];
      const byId = new Map(answers.map((a) => [a.id, a]));
      const results = ids[i].map((id, j) => {
        const a = byId.get(id);
        if (!a || a.error !== undefined) {
          const items = Array.isArray(requests[i]) ? (requests[i] as RpcRequest[]) : [requests[i] as RpcRequest];
          const what = label ? label(i, j) : `request ${i}.${j}`;
          throw new ChainError(`${items[j].method} failed for ${what}: ${a?.error?.message ?? "no answer"}`, {
            details: a?.error?.data ? `data: ${JSON.stringify(a.error.data)}` : undefined,
          });
        }
        return a.result;
      });
      return Array.isArray(requests[i]) ? results : results[0];
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
