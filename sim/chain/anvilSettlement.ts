// The anvil ledger: mirrors every change the in-memory ledger journals as a real transaction on
// a local anvil (core/ledger/ledger.ts explains the contract). Deploys the contracts, maps
// accounts to keys, and at each barrier mines one block per chain second with that second's
// changes (timestamp = virtual time), then reconciles chain state with the memory ledger.
// Stopping: finish() or close(); anvil's death is noticed and reported as AnvilDiedError.
import { encodeDeployData, getContractAddress, keccak256, stringToHex } from "viem";
import { approvalSteps, deploymentSteps, type ContractName, type DeployArg, type DeployStep, type LedgerConfig } from "../../core/ledger/deployment.ts";
import { toContractCall } from "../../core/ledger/callTable.ts";
import type { Account, LedgerCall, LedgerEntry } from "../../core/ledger/ledger.ts";
import type { MemoryLedger } from "../../core/ledger/memoryLedger.ts";
import { connectRpc, processCpuMs, rpcCall, startAnvil, type ChainNode } from "./anvil.ts";
import { encodeCall, loadArtifact } from "./artifacts.ts";
import { BlockBatcher } from "./blockBatcher.ts";
import { ChainAccounts } from "./chainAccounts.ts";
import { AnvilDiedError, ChainError, ReconciliationError } from "./chainError.ts";
import { Reconciler, type BlockExpectation, type ReconcileScope } from "./reconcile.ts";
import { entryScope, everything } from "./entryScope.ts";

export interface AnvilSettlementOptions {
  /** Use this JSON-RPC URL instead of starting anvil (the caller owns that node). */
  rpc?: string;
  /** Accounts whose every value is re-read per block, round robin over all accounts, besides
   * the values that changed (default 1; the end of a run reads everything). */
  auditPerBlock?: number;
}

export interface SettlementStats {
  /** Ledger changes settled as transactions (approvals and deployment not counted). */
  ledgerChanges: number;
  transactions: number;
  blocks: number;
  /** Values compared with the chain (eth_calls). */
  reconciledValues: number;
  /** Wall-clock milliseconds spent settling (signing, sending, mining, reconciling). */
  settleMs: number;
  /** CPU milliseconds this process's main thread used while settling (signing, encoding,
   * reconciling, its socket I/O; not the garbage collector's and compiler's own threads, which
   * work for the whole simulation). */
  settleCpuMs: number;
  /** CPU milliseconds anvil used from its start (deployment included) until finish(); null for
   * an external node or without /proc. */
  anvilCpuMs: number | null;
}

/** CPU time of the calling (main) thread: process.threadCpuUsage (Bun, Node 23.9+), else /proc,
 * else the whole process's. */
function mainThreadCpuMs(): number {
  const thread = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;
  const u = thread ? thread() : null;
  if (u) return (u.user + u.system) / 1000;
  const t = processCpuMs(process.pid, true);
  if (t !== null) return t;
  const p = process.cpuUsage();
  return (p.user + p.system) / 1000;
}

/**
 * An anvil someone else started: mine on demand only, base fee 0 (calls pay 1..n wei of gas
 * price), no block gas cap in practice; its chain time must not be past the genesis time yet.
 */
async function prepareExternalNode(url: string, genesisTime: number): Promise<void> {
  const latest = (await rpcCall(url, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
  if (Number(latest.timestamp) > genesisTime) {
    throw new ChainError(`the chain at ${url} is at time ${Number(latest.timestamp)}, past the ledger's genesis time ${genesisTime}`, {
      details: `start it with \`anvil --timestamp ${genesisTime}\` (chain time follows virtual time from the genesis time on)`,
    });
  }
  await rpcCall(url, "evm_setAutomine", [false]);
  await rpcCall(url, "anvil_setNextBlockBaseFeePerGas", ["0x0"]);
  await rpcCall(url, "evm_setBlockGasLimit", ["0xe8d4a51000"]); // 10^12 gas
}

function approvalKey(st: DeployStep): string {
  const spender = st.args[0] as { account: Account };
  return `${st.from}|${st.contract}|${spender.account}`;
}

/** The token allowance a call spends through (transferFrom by a protocol contract), if any. */
function allowanceNeeded(call: LedgerCall): { token: ContractName; spender: ContractName } | null {
  switch (call.method) {
    case "stake":
      return { token: "Token", spender: "Staking" };
    case "challenge":
      return { token: "Token", spender: "DisputeGame" };
    case "postJob":
      return { token: "StableToken", spender: "JobMarket" };
    case "swap":
      return { token: call.args[1] === "GSN" ? "Token" : "StableToken", spender: "ConstantProductPool" };
    case "createMarket":
    case "buyShares":
      return { token: "StableToken", spender: "PredictionMarket" };
    default:
      return null;
  }
}

export class AnvilSettlement {
  private queue: LedgerEntry[] = [];
  /** Approvals given so far, as "account|token|spender". */
  private readonly approved = new Set<string>();
  private fatal: Error | null = null;
  private unsubscribe: () => void = () => {};
  readonly stats: SettlementStats = { ledgerChanges: 0, transactions: 0, blocks: 0, reconciledValues: 0, settleMs: 0, settleCpuMs: 0, anvilCpuMs: null };

  private constructor(
    readonly node: ChainNode,
    readonly memory: MemoryLedger,
    private readonly accounts: ChainAccounts,
    private readonly batcher: BlockBatcher,
    private readonly reconciler: Reconciler,
  ) {
    node.onDeath((err) => (this.fatal ??= err));
  }

  /** Starts anvil (or connects to `rpc`), deploys the contracts and starts mirroring `memory`. */
  static async open(memory: MemoryLedger, opts: AnvilSettlementOptions = {}): Promise<AnvilSettlement> {
    const config = memory.config;
    const node = opts.rpc ? await connectRpc(opts.rpc) : await startAnvil({ genesisTimestamp: config.genesisTime });
    let s: AnvilSettlement | null = null;
    try {
      const chainId = Number(await rpcCall(node.url, "eth_chainId"));
      if (opts.rpc) await prepareExternalNode(node.url, config.genesisTime);
      const accounts = new ChainAccounts();
      s = new AnvilSettlement(node, memory, accounts, new BlockBatcher(node.url, chainId), new Reconciler(node.url, accounts, opts.auditPerBlock));
      await s.batcher.start();
      await s.deploy(config);
      const settlement = s;
      s.unsubscribe = memory.onApplied((e) => settlement.queue.push(e));
      return s;
    } catch (err) {
      // anvil killed during deployment is reported as its death, as later on (explain).
      const reported = s === null ? err : await s.explain(err);
      s?.batcher.close();
      await node.stop();
      throw reported;
    }
  }

  private arg(a: DeployArg | DeployArg[] | boolean): unknown {
    if (Array.isArray(a)) return a.map((x) => this.arg(x));
    if (typeof a === "object") {
      if ("account" in a) return this.accounts.address(a.account);
      if ("role" in a) return keccak256(stringToHex(a.role));
      return a.tuple.map((x) => this.arg(x));
    }
    return a;
  }

  private call(from: Account, contract: ContractName, fn: string, args: (DeployArg | DeployArg[] | boolean)[], label: string): void {
    const data = encodeCall(contract, fn, args.map((a) => this.arg(a)));
    this.batcher.enqueue({ from: this.accounts.signer(from), to: this.accounts.address(contract), data, label });
  }

  /**
   * deployment.ts approvalSteps are what every account gives before its first call (the memory
   * ledger does not model allowances). Only the one this call spends through is sent, once.
   */
  private approveFor(call: LedgerCall): void {
    const need = allowanceNeeded(call);
    if (need === null) return;
    for (const st of approvalSteps(call.args[0])) {
      const key = approvalKey(st);
      if (st.kind !== "call" || !key.endsWith(`|${need.token}|${need.spender}`) || this.approved.has(key)) continue;
      this.approved.add(key);
      this.call(st.from, st.contract, st.fn, st.args, `${st.contract}.approve(${need.spender}) by ${st.from}`);
    }
  }

  /** deployment.ts in one block at genesis time; addresses follow from the deployer's nonces. */
  private async deploy(config: LedgerConfig): Promise<void> {
    const deployer = this.accounts.signer("deployer");
    let nonce = Number(await this.batcher.rpc("eth_getTransactionCount", [deployer.address, "latest"]));
    for (const step of deploymentSteps(config)) {
      if (step.kind === "deploy") {
        const art = loadArtifact(step.contract);
        const data = encodeDeployData({ abi: art.abi, bytecode: art.bytecode, args: step.args.map((a) => this.arg(a)) } as never);
        this.accounts.setContract(step.contract, getContractAddress({ from: deployer.address, nonce: BigInt(nonce) }));
        this.batcher.enqueue({ from: deployer, to: null, data, label: `deploy ${step.contract}`, gas: 30_000_000n });
      } else {
        this.call(step.from, step.contract, step.fn, step.args, `${step.contract}.${step.fn} (deployment)`);
      }
      nonce++;
    }
    for (const st of approvalSteps("deployer")) this.approved.add(approvalKey(st));
    await this.mine(config.genesisTime, everything(this.memory), []);
  }

  /**
   * Mines the queued calls as one block at chain second `time`; with a scope, the block's round
   * trip also reads back the chain and the memory ledger is compared with it (its state now is
   * the chain's state after this block: the kernel is paused at a barrier).
   */
  private async mine(time: number, scope: ReconcileScope | null, earlier: BlockExpectation[]): Promise<BlockExpectation> {
    const expected: BlockExpectation = { number: this.batcher.nextBlockNumber, txCount: this.batcher.pending };
    const check = scope === null ? null : this.reconciler.prepare(this.memory, scope, [...earlier, expected], expected.number);
    const mined = await this.batcher.mineBlock(time, check?.requests ?? [], check?.describe);
    this.stats.transactions += mined.block.txCount;
    this.stats.blocks++;
    // Waiting here keeps errors at the block that caused them. (Leaving the round trip in
    // flight while the kernel runs on, and judging it at the next barrier, measured no faster
    // on a shared 2-core machine.)
    const results = await mined.done;
    if (check !== null) await this.verify(() => check.verify(results), mined.block.number);
    return mined.block;
  }

  /**
   * Settles every queued change applied before chain second `before` (all when omitted): one
   * block per distinct second; the last one is reconciled with the memory ledger.
   */
  async settle(before = Infinity): Promise<void> {
    this.throwIfDead();
    const t0 = performance.now();
    const c0 = mainThreadCpuMs();
    const blocks: BlockExpectation[] = [];
    const touched: LedgerEntry[] = [];
    try {
      while (this.queue.length > 0 && this.queue[0].time < before) {
        const time = this.queue[0].time;
        let n = 0;
        while (n < this.queue.length && this.queue[n].time === time) n++;
        const entries = this.queue.splice(0, n);
        for (const e of entries) {
          const cc = toContractCall(e.call);
          this.approveFor(e.call);
          this.call(cc.from, cc.contract, cc.fn, cc.args, `#${e.seq} ${e.call.method}(${cc.from}, ...) at ${e.time}`);
        }
        touched.push(...entries);
        this.stats.ledgerChanges += entries.length;
        const last = this.queue.length === 0 || this.queue[0].time >= before;
        blocks.push(await this.mine(time, last ? entryScope(this.memory, touched) : null, blocks));
      }
    } catch (err) {
      throw await this.explain(err);
    } finally {
      this.stats.settleMs += performance.now() - t0;
      this.stats.settleCpuMs += mainThreadCpuMs() - c0;
    }
  }

  /** Runs a reconciliation verdict; a difference is explained by the block's reverted calls. */
  private async verify(run: () => number, block: bigint): Promise<void> {
    try {
      this.stats.reconciledValues += run();
    } catch (err) {
      if (err instanceof ReconciliationError) {
        const reverted = await this.batcher.revertedIn(block).catch(() => [] as string[]);
        if (reverted.length > 0) {
          const details = `reverted on chain in that block: ${reverted.slice(0, 5).join("; ")}${reverted.length > 5 ? ` (+${reverted.length - 5} more)` : ""}`;
          throw new ReconciliationError(err.account, err.field, err.chainValue, err.memoryValue, block, { details });
        }
      }
      throw err;
    }
  }

  /** Settles everything left, reconciles every account, stops anvil. */
  async finish(): Promise<SettlementStats> {
    try {
      await this.settle();
      this.stats.reconciledValues += await this.reconciler.check(this.memory, everything(this.memory), [], -1n);
      this.stats.anvilCpuMs = processCpuMs(this.node.pid);
      return { ...this.stats };
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.batcher.close();
    await this.node.stop();
  }

  /** The chain address of a ledger Account (a party's key, or a deployed contract). */
  address(account: Account): `0x${string}` {
    return this.accounts.address(account);
  }

  private throwIfDead(): void {
    if (this.fatal) throw this.fatal;
  }

  /** A failed RPC right when anvil died is reported as the death, which is what happened. */
  private async explain(err: unknown): Promise<unknown> {
    if (this.fatal || !(err instanceof ChainError) || err instanceof ReconciliationError) return this.fatal ?? err;
    // Up to 2 s: on a loaded machine the exit event can trail the refused connection.
    for (let i = 0; i < 80 && !this.fatal && this.node.pid !== null; i++) await new Promise((r) => setTimeout(r, 25));
    const died = this.fatal as Error | null; // set by the exit listener while we waited
    return died instanceof AnvilDiedError ? died : err;
  }
}

