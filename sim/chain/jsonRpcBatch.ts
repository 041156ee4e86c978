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

/** Sends `params[i]` as request i; resolves to the results in order, or throws naming the first failure. */
export async function jsonRpcBatch(url: string, method: string, params: unknown[][], opts: BatchOptions = {}): Promise<unknown[]> {
  const chunk = opts.chunk ?? 500;
  const parts: Promise<unknown[]>[] = [];
  for (let k = 0; k < params.length; k += chunk) parts.push(postChunk(url, method, params.slice(k, k + chunk), k, opts));
  return (await Promise.all(parts)).flat();
}

async function postChunk(url: string, method: string, params: unknown[][], first: number, opts: BatchOptions): Promise<unknown[]> {
  const body = params.map((p, i) => ({ jsonrpc: "2.0", id: first + i, method, params: p }));
  let answers: Answer[];
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    answers = (await res.json()) as Answer[];
  } catch (err) {
    throw new ChainError(`${method} batch to ${url} failed: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(answers)) throw new ChainError(`${method} batch to ${url}: the node did not answer with a batch`);
  const byId = new Map(answers.map((a) => [a.id, a]));
  return params.map((_, i) => {
    const a = byId.get(first + i);
    if (!a || a.error !== undefined) {
      const what = opts.label ? opts.label(first + i) : `request #${first + i}`;
      throw new ChainError(`${method} failed for ${what}: ${a?.error?.message ?? "no answer"}`, { details: a?.error?.data ? `data: ${JSON.stringify(a.error.data)}` : undefined });
    }
    return a.result;
  });
}
