// Many JSON-RPC requests of one method in one HTTP request (JSON-RPC 2.0 batch), answers in
// request order. The hot path of the anvil ledger: raw transactions out, eth_call reads back.
import { ChainError } from "./chainError.ts";

interface Answer {
  id: number;
  result?: unknown;
  error?: { message: string; data?: unknown };
}

export interface BatchOptions {
  /** Requests per HTTP request (default 500). */
  chunk?: number;
  /** Names each request in error messages. */
  label?: (index: number) => string;
}

export interface RpcRequest {
  method: string;
  params: unknown[];
}

/** Sends `method(params[i])` as request i; resolves to the results in order, or throws naming the first failure. */
export function jsonRpcBatch(url: string, method: string, params: unknown[][], opts: BatchOptions = {}): Promise<unknown[]> {
  return jsonRpcRequests(url, params.map((p) => ({ method, params: p })), opts);
}

/** Sends mixed requests in batches (chunks go out one after another); results in order. */
export async function jsonRpcRequests(url: string, requests: RpcRequest[], opts: BatchOptions = {}): Promise<unknown[]> {
  const chunk = opts.chunk ?? 500;
  const out: unknown[] = [];
  for (let k = 0; k < requests.length; k += chunk) out.push(...(await postChunk(url, requests.slice(k, k + chunk), k, opts)));
  return out;
}

async function postChunk(url: string, requests: RpcRequest[], first: number, opts: BatchOptions): Promise<unknown[]> {
  const method = requests[0]?.method ?? "(empty)";
  const body = requests.map((r, i) => ({ jsonrpc: "2.0", id: first + i, method: r.method, params: r.params }));
  let answers: Answer[];
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    answers = (await res.json()) as Answer[];
  } catch (err) {
    throw new ChainError(`${method} batch to ${url} failed: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(answers)) throw new ChainError(`${method} batch to ${url}: the node did not answer with a batch`);
  const byId = new Map(answers.map((a) => [a.id, a]));
  return requests.map((r, i) => {
    const a = byId.get(first + i);
    if (!a || a.error !== undefined) {
      const what = opts.label ? opts.label(first + i) : `request #${first + i}`;
      throw new ChainError(`${r.method} failed for ${what}: ${a?.error?.message ?? "no answer"}`, { details: a?.error?.data ? `data: ${JSON.stringify(a.error.data)}` : undefined });
    }
    return a.result;
  });
}
