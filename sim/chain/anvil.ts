// The anvil process manager: starts the native anvil binary on a free loopback port (so the PID
// held is anvil's own), waits until it answers, notices when it dies, and always stops it by PID:
// at the end, on errors, on Ctrl-C and at process exit (STACK.md: anvil).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { AnvilDiedError, ChainError } from "./chainError.ts";

/** Where npm's @foundry-rs/anvil puts the native binary. */
export const ANVIL_BINARY = join(import.meta.dir, "..", "..", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

export interface StartAnvilOptions {
  /** Genesis block timestamp in seconds (chain time for virtual time 0). */
  genesisTimestamp?: number;
  /** Path of the anvil binary; default the npm package's native binary. */
  binary?: string;
  /** How long to wait for the first answer, in milliseconds (default 20,000). */
  startTimeoutMs?: number;
  /** Extra command-line arguments. */
  extraArgs?: string[];
}

/** A chain endpoint: an anvil this process started (pid set) or an external RPC URL. */
export interface ChainNode {
  readonly url: string;
  /** anvil's PID when this process started it; null for an external --rpc URL. */
  readonly pid: number | null;
  /** Set once the anvil process exited without being asked to. */
  readonly deathError: AnvilDiedError | null;
  /** Calls `cb` when anvil dies unexpectedly (at once if it already has). Returns an unsubscribe. */
  onDeath(cb: (err: AnvilDiedError) => void): () => void;
  /** Stops anvil (SIGTERM, then SIGKILL after 3 s); a no-op for external nodes. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<AnvilNode>();
let handlersInstalled = false;

/** Kill every anvil we started; used by the exit and signal handlers (synchronous). */
function killAllNow(signal: NodeJS.Signals): void {
  for (const node of live) node.killNow(signal);
}

function installProcessHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => killAllNow("SIGKILL"));
  // Ctrl-C: stop every anvil now; a run in progress then fails at its next barrier like on any
  // death of anvil (exit 2, run directory marked incomplete). Exit anyway after 3 s, or at once
  // when no anvil runs or on a second signal.
  let interrupted = false;
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      const code = sig === "SIGINT" ? 130 : 143;
      if (interrupted || live.size === 0) {
        killAllNow("SIGKILL");
        process.exit(code);
      }
      interrupted = true;
      for (const node of live) node.interrupt(sig);
      setTimeout(() => process.exit(code), 3_000).unref();
    });
  }
}

/** Ask the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** One JSON-RPC call with a timeout; used for the readiness probe. */
export async function rpcCall(url: string, method: string, params: unknown[] = [], timeoutMs = 2_000): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new ChainError(`${method} failed at ${url}: ${body.error.message}`);
  return body.result;
}

class AnvilNode implements ChainNode {
  readonly url: string;
  readonly pid: number;
  deathError: AnvilDiedError | null = null;
  private stopping = false;
  /** The signal this process got when it stopped anvil on its way out (Ctrl-C). */
  private interruptedBy: string | null = null;
  private exited = false;
  private readonly exitWaiters: (() => void)[] = [];
  private readonly deathListeners = new Set<(err: AnvilDiedError) => void>();
  private readonly stderrTail: string[] = [];

  constructor(private readonly child: ChildProcess, port: number) {
    this.url = `http://127.0.0.1:${port}`;
    this.pid = child.pid!;
    child.stderr?.on("data", (d: Buffer) => {
      this.stderrTail.push(d.toString());
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    });
    child.on("exit", (code, signal) => {
      this.exited = true;
      live.delete(this);
      if (!this.stopping) {
        const tail = this.stderrTail.join("").trim();
        this.deathError = new AnvilDiedError(this.pid, code, signal, tail ? { details: `anvil stderr: ${tail}` } : {}, this.interruptedBy);
        for (const cb of [...this.deathListeners]) cb(this.deathError);
      }
      for (const w of this.exitWaiters.splice(0)) w();
    });
    live.add(this);
  }

  get hasExited(): boolean {
    return this.exited;
  }

  onDeath(cb: (err: AnvilDiedError) => void): () => void {
    if (this.deathError) {
      cb(this.deathError);
      return () => {};
    }
    this.deathListeners.add(cb);
    return () => this.deathListeners.delete(cb);
  }

  /** Stops anvil because this process got `signal`: its users see that as the reason it died. */
  interrupt(signal: NodeJS.Signals): void {
    if (this.exited) return;
    this.interruptedBy = signal;
    try {
      process.kill(this.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }

  killNow(signal: NodeJS.Signals): void {
    if (this.exited) return;
    this.stopping = true;
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone
    }
  }

  waitExit(ms: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.exitWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.killNow("SIGTERM");
    if (!(await this.waitExit(3_000))) {
      this.killNow("SIGKILL");
      await this.waitExit(2_000);
    }
    live.delete(this);
  }
}

async function launchOnce(binary: string, opts: StartAnvilOptions): Promise<AnvilNode> {
  const port = await freePort();
  const args = [
    "--host", "127.0.0.1",
    "--port", String(port),
    "--silent",
    "--no-mining", // one block per barrier, mined on demand
    "--order", "fees", // with per-call gas prices, blocks keep the ledger's order (blockBatcher.ts)
    "--disable-block-gas-limit",
    "--base-fee", "0",
    "--disable-min-priority-fee",
    "--prune-history", "1", // keep only the latest state in memory, persist none to disk
    "--hardfork", "cancun", // what foundry.toml compiles for (evm_version); cheaper blocks than prague
    "--timestamp", String(opts.genesisTimestamp ?? 1_700_000_000),
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  const node = new AnvilNode(child, port);
  const deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
  for (;;) {
    if (node.hasExited) throw node.deathError ?? new ChainError(`anvil exited during startup on port ${port}`);
    try {
      await rpcCall(node.url, "eth_chainId", [], 1_000);
      return node;
    } catch {
      if (Date.now() > deadline) {
        await node.stop();
        throw new ChainError(`anvil (pid ${node.pid}) did not answer on ${node.url} within ${opts.startTimeoutMs ?? 20_000} ms`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Start anvil on a free loopback port and wait until it answers; retries if the port was taken. */
export async function startAnvil(opts: StartAnvilOptions = {}): Promise<ChainNode> {
  const binary = opts.binary ?? ANVIL_BINARY;
  if (!existsSync(binary)) {
    throw new ChainError(`anvil binary not found at ${binary}`, { details: "run `npm install` (package @foundry-rs/anvil)" });
  }
  installProcessHandlers();
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launchOnce(binary, opts);
    } catch (err) {
      lastErr = err;
      if (!(err instanceof AnvilDiedError)) throw err;
    }
  }
  throw new ChainError("anvil failed to start three times", { cause: lastErr, details: String((lastErr as Error)?.message) });
}

/** Use an anvil (or any dev node) someone else runs; `stop` does nothing. */
export async function connectRpc(url: string): Promise<ChainNode> {
  try {
    await rpcCall(url, "eth_chainId", [], 5_000);
  } catch (err) {
    throw new ChainError(`no chain answers at --rpc ${url}`, { cause: err });
  }
  return {
    url,
    pid: null,
    deathError: null,
    onDeath: () => () => {},
    stop: async () => {},
  };
}

/**
 * CPU time (user + system, milliseconds) a running process (or only its main thread) has used,
 * from /proc (Linux, in 10 ms ticks); null where that cannot be read. The bench splits
 * settlement time into anvil's and ours.
 */
export function processCpuMs(pid: number | null, mainThreadOnly = false): number | null {
  if (pid === null) return null;
  try {
    const fields = readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** Number of anvil processes this process started that are still running (for tests). */
export function liveAnvilCount(): number {
  return live.size;
}
