// Differential test: the memory ledger (core/ledger) against the compiled contracts on anvil.
// The same random traffic runs on both; every call the memory ledger accepts must succeed on
// chain, every call it rejects must revert there with the same custom error, and all state
// (balances, stakes, escrow, jobs, games, pool, vault, swarm) must be equal at checkpoints.
import { afterAll, describe, expect, test } from "bun:test";
import {
  createPublicClient, decodeErrorResult, encodeDeployData, encodeFunctionData, http, keccak256, stringToHex,
  type Abi, type AbiItem, type Address, type Hex, type PublicClient,
} from "viem";
import { Rng } from "../core/des/rng.ts";
import {
  applyCall, deploymentSteps, approvalSteps, GameOutcome, GamePhase, JobStatus, LedgerRevert, MemoryLedger,
  defaultLedgerConfig, nextPredictionTrafficStep, nextTrafficStep, toContractCall, trafficSetup, typicalGas, TRAFFIC_NODES,
  type Account, type ContractName, type DeployArg, type LedgerCall, type LedgerConfig,
} from "../core/ledger/index.ts";
import { MarketStatus } from "../core/ledger/predictionBook.ts";
import { SwarmRoles } from "../core/ledger/swarmBook.ts";
import { nextSwarmTrafficStep, SWARM_PEERS, SWARM_ROLE_ACCOUNTS } from "../core/ledger/swarmTraffic.ts";
import { startAnvil, type ChainNode } from "../sim/chain/anvil.ts";

const artifact = (name: ContractName): { abi: Abi; bytecode: Hex } => require(`./artifacts/${name}.json`);
const CONTRACTS: ContractName[] = ["Token", "StableToken", "Staking", "ConstantProductPool", "BuybackVault", "JobMarket", "DisputeGame", "SwarmCoordinator", "PredictionMarket"];
const ZERO_HASH = `0x${"0".repeat(64)}`;
const ZERO_ADDRESS = `0x${"0".repeat(40)}`;

/** Every custom error of every contract (errors bubble up from nested calls). */
const ALL_ERRORS: Abi = (() => {
  const seen = new Map<string, AbiItem>();
  for (const c of CONTRACTS) for (const item of artifact(c).abi) if (item.type === "error") seen.set(JSON.stringify(item), item);
  return [...seen.values()] as Abi;
})();

class Chain {
  private readonly contracts = new Map<Account, Address>();
  private readonly funded = new Set<Account>();
  readonly client: PublicClient;
  constructor(readonly url: string) {
    this.client = createPublicClient({ transport: http(url) });
  }

  async rpc(method: string, params: unknown[]): Promise<{ result?: unknown; error?: { message: string; data?: Hex } }> {
    const res = await fetch(this.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
    return (await res.json()) as { result?: unknown; error?: { message: string; data?: Hex } };
  }

  async ok(method: string, params: unknown[]): Promise<unknown> {
    const r = await this.rpc(method, params);
    if (r.error) throw new Error(`${method}: ${r.error.message}`);
    return r.result;
  }

  address(a: Account): Address {
    return this.contracts.get(a) ?? (`0x${keccak256(stringToHex(`parity ${a}`)).slice(-40)}` as Address);
  }

  arg(a: DeployArg | DeployArg[] | boolean): unknown {
    if (Array.isArray(a)) return a.map((x) => this.arg(x));
    if (typeof a === "object") {
      if ("account" in a) return this.address(a.account);
      if ("role" in a) return keccak256(stringToHex(a.role));
      return a.tuple.map((x) => this.arg(x));
    }
    return typeof a === "number" ? BigInt(a) : a;
  }

  /** Gas money, and unlimited approvals of the protocol contracts (deployment.ts). */
  async ensure(from: Account, time: number): Promise<void> {
    if (this.funded.has(from) || this.contracts.has(from)) return;
    this.funded.add(from);
    await this.ok("anvil_setBalance", [this.address(from), "0x33b2e3c9fd0803ce8000000"]);
    if (from === "deployer") return;
    for (const s of approvalSteps(from)) if (s.kind === "call") await this.send(s.from, s.contract, s.fn, s.args, time);
  }

  /** Sends and mines one transaction; returns its gasUsed. */
  async send(from: Account, contract: ContractName | null, fn: string, args: (DeployArg | DeployArg[] | boolean)[], time: number, deploy?: ContractName): Promise<number> {
    await this.ensure(from, time);
    const data = deploy
      ? encodeDeployData({ abi: artifact(deploy).abi, bytecode: artifact(deploy).bytecode, args: args.map((a) => this.arg(a)) } as never)
      : encodeFunctionData({ abi: artifact(contract!).abi, functionName: fn, args: args.map((a) => this.arg(a)) } as never);
    await this.ok("evm_setNextBlockTimestamp", [time]);
    const hash = await this.ok("eth_sendTransaction", [{ from: this.address(from), to: contract ? this.address(contract) : undefined, data, gas: "0x1c9c380", gasPrice: "0x0" }]);
    await this.ok("evm_mine", []); // sim/chain starts anvil with --no-mining: one block per call here
    const receipt = (await this.ok("eth_getTransactionReceipt", [hash])) as { status: string; contractAddress: Address | null; gasUsed: Hex };
    if (receipt.status !== "0x1") throw new Error(`${deploy ?? `${contract}.${fn}`} from ${from} reverted on chain at ${time}`);
    if (deploy) this.contracts.set(deploy, receipt.contractAddress!);
    return Number(receipt.gasUsed);
  }

  /** The custom error name the chain reverts with, or null when the call would succeed. */
  async revertName(from: Account, contract: ContractName, fn: string, args: (DeployArg | DeployArg[] | boolean)[], time: number): Promise<string | null> {
    await this.ensure(from, time);
    const data = encodeFunctionData({ abi: artifact(contract).abi, functionName: fn, args: args.map((a) => this.arg(a)) } as never);
    const r = await this.rpc("eth_call", [{ from: this.address(from), to: this.address(contract), data, gas: "0x1c9c380" }, "latest", {}, { time: `0x${time.toString(16)}` }]);
    if (!r.error) return null;
    if (!r.error.data || r.error.data === "0x") return `(no data: ${r.error.message})`;
    return decodeErrorResult({ abi: ALL_ERRORS, data: r.error.data }).errorName;
  }

  read(contract: ContractName, functionName: string, args: unknown[] = []): Promise<unknown> {
    return this.client.readContract({ address: this.address(contract), abi: artifact(contract).abi, functionName, args } as never);
  }
}

/** Every view of the memory ledger against the chain; returns how many values were compared. */
async function compareState(L: MemoryLedger, C: Chain): Promise<number> {
  const pairs: [string, unknown, unknown][] = [];
  const addr = (a: Account | null): string => (a ? C.address(a) : ZERO_ADDRESS).toLowerCase();
  for (const a of L.accounts()) {
    pairs.push([`${a} GSN`, L.balanceOf(a, "GSN"), await C.read("Token", "balanceOf", [C.address(a)])]);
    pairs.push([`${a} USD`, L.balanceOf(a, "USD"), await C.read("StableToken", "balanceOf", [C.address(a)])]);
    pairs.push([`${a} stake`, L.stakeOf(a), await C.read("Staking", "stakeOf", [C.address(a)])]);
    const p = L.pendingUnstake(a);
    pairs.push([`${a} pending`, [p.amount, BigInt(p.unlockAt)], await C.read("Staking", "pendingUnstake", [C.address(a)])]);
  }
  pairs.push(["GSN supply", L.totalSupply("GSN"), await C.read("Token", "totalSupply")]);
  pairs.push(["USD supply", L.totalSupply("USD"), await C.read("StableToken", "totalSupply")]);
  pairs.push(["totalStaked", L.totalStaked(), await C.read("Staking", "totalStaked")]);
  const e = L.escrow();
  for (const k of ["posted", "escrowed", "paidOut", "refunded"] as const) pairs.push([k, e[k], await C.read("JobMarket", k)]);
  pairs.push(["bondsHeld", L.bondsHeld(), await C.read("DisputeGame", "bondsHeld")]);
  const r = L.poolReserves();
  pairs.push(["reserves", [r.usd, r.gsn], [await C.read("ConstantProductPool", "usdReserve"), await C.read("ConstantProductPool", "tokenReserve")]]);
  const v = L.vaultDay();
  pairs.push(["vault day", [BigInt(v.day), v.spent], [await C.read("BuybackVault", "day"), await C.read("BuybackVault", "spentToday")]]);
  const o = L.priceOracle();
  pairs.push(["oracle", [o.priceCumulative, BigInt(o.lastUpdate), o.obsCumulative, BigInt(o.obsTime), o.twap],
    [await C.read("ConstantProductPool", "priceCumulative"), await C.read("ConstantProductPool", "lastUpdate"),
      await C.read("BuybackVault", "obsCumulative"), await C.read("BuybackVault", "obsTime"), await C.read("BuybackVault", "twap")]]);
  pairs.push(["round/stage", [BigInt(L.currentRound()), BigInt(L.currentStage())], [await C.read("SwarmCoordinator", "currentRound"), await C.read("SwarmCoordinator", "currentStage")]]);
  pairs.push(["jobCount", BigInt(L.jobCount()), await C.read("JobMarket", "jobCount")]);
  for (let id = 1; id <= L.jobCount(); id++) {
    const j = L.job(id);
    const c = (await C.read("JobMarket", "getJob", [BigInt(id)])) as Record<string, unknown>;
    pairs.push([`job ${id}`, [JobStatus.indexOf(j.status), j.fee, addr(j.solver), j.resultRoot ?? ZERO_HASH, BigInt(j.committedAt), BigInt(j.gameId), BigInt(j.openDisputes)],
      [c.status, c.fee, String(c.solver).toLowerCase(), c.resultRoot, c.committedAt, c.gameId, BigInt(c.openDisputes as number)]]);
    for (const v of j.verifiers) {
      pairs.push([`job ${id} challenged by ${v}`, j.challengers.includes(v), await C.read("JobMarket", "hasChallenged", [BigInt(id), C.address(v)])]);
    }
    pairs.push([`job ${id} verifiers`, j.verifiers.map(addr), ((await C.read("JobMarket", "verifiersOf", [BigInt(id)])) as string[]).map((x) => x.toLowerCase())]);
  }
  pairs.push(["gameCount", BigInt(L.gameCount()), await C.read("DisputeGame", "gameCount")]);
  for (let id = 1; id <= L.gameCount(); id++) {
    const g = L.game(id);
    const c = (await C.read("DisputeGame", "getGame", [BigInt(id)])) as Record<string, unknown>;
    pairs.push([`game ${id}`,
      [GamePhase.indexOf(g.phase), GameOutcome.indexOf(g.outcome), g.turn === "challenger", g.lo, g.hi, g.step, g.node, g.moves,
        g.pendingClaim ?? ZERO_HASH, g.defenderClaimHi, g.challengerClaimHi, BigInt(g.defenderTimeLeft), BigInt(g.challengerTimeLeft), BigInt(g.lastMoveAt), g.bond],
      [c.phase, c.outcome, c.challengerToMove, c.lo, c.hi, c.step, c.node, c.moves,
        c.pendingClaim, c.defenderClaimHi, c.challengerClaimHi, c.defenderTimeLeft, c.challengerTimeLeft, c.lastMoveAt, c.bond]]);
  }
  await compareSwarm(L, C, pairs);
  pairs.push(["marketCount", BigInt(L.predictionMarketCount()), await C.read("PredictionMarket", "marketCount")]);
  const f = L.predictionFees();
  pairs.push(["prediction fees", [f.charged, f.toVault, f.toPlatform],
    [await C.read("PredictionMarket", "feesCharged"), await C.read("PredictionMarket", "feesToVault"), await C.read("PredictionMarket", "feesToPlatform")]]);
  for (let id = 1; id <= L.predictionMarketCount(); id++) {
    const m = L.predictionMarket(id);
    const c = (await C.read("PredictionMarket", "getMarket", [BigInt(id)])) as Record<string, unknown>;
    pairs.push([`market ${id}`, [addr(m.creator), MarketStatus.indexOf(m.status), m.outcomes, m.winner, BigInt(m.resolveAt), m.judgeSpec, BigInt(m.jobId), m.collateral],
      [String(c.creator).toLowerCase(), c.status, c.outcomes, c.winner, c.resolveAt, c.judgeSpec, c.jobId, c.collateral]]);
    for (let o = 0; o < m.outcomes; o++) {
      pairs.push([`market ${id} pool ${o}`, m.pool[o], await C.read("PredictionMarket", "poolBalance", [BigInt(id), BigInt(o)])]);
      for (const n of ["n0", "n1", "n2", "n3", "n4", "n5"]) {
        pairs.push([`market ${id} ${n} shares ${o}`, L.sharesOf(n, id, o), await C.read("PredictionMarket", "sharesOf", [BigInt(id), C.address(n), BigInt(o)])]);
      }
    }
  }
  for (const [what, memory, chain] of pairs) expect({ what, value: chain }).toEqual({ what, value: memory });
  return pairs.length;
}

/** Every SwarmCoordinator getter over the traffic's peers, accounts, rounds and stages. */
async function compareSwarm(L: MemoryLedger, C: Chain, pairs: [string, unknown, unknown][]): Promise<void> {
  const S = L.swarmView();
  const read = (fn: string, args: unknown[] = []) => C.read("SwarmCoordinator", fn, args);
  pairs.push(["swarm stageCount|uniqueVoters|bootnodes", [BigInt(S.stageCount()), BigInt(S.uniqueVoters()), S.bootnodes(), BigInt(S.bootnodes().length)],
    [await read("stageCount"), await read("uniqueVoters"), await read("getBootnodes"), await read("getBootnodesCount")]]);
  const peers = [...SWARM_PEERS, ...TRAFFIC_NODES.flatMap((n) => S.peersOf(n))].filter((p, i, all) => all.indexOf(p) === i);
  const accounts = SWARM_ROLE_ACCOUNTS;
  pairs.push(["getEoa", peers.map((p) => (S.peerOwner(p) ? C.address(S.peerOwner(p)!) : ZERO_ADDRESS).toLowerCase()),
    ((await read("getEoa", [peers])) as string[]).map((a) => a.toLowerCase())]);
  pairs.push(["getPeerId", accounts.map((a) => S.peersOf(a)), await read("getPeerId", [accounts.map((a) => C.address(a))])]);
  pairs.push(["getTotalRewards", peers.map((p) => S.totalRewards(p)), await read("getTotalRewards", [peers])]);
  for (const p of peers) {
    pairs.push([`${JSON.stringify(p)} wins|votes`, [BigInt(S.totalWins(p)), BigInt(S.voterVoteCount(p))], [await read("getTotalWins", [p]), await read("getVoterVoteCount", [p])]]);
  }
  const rounds = Math.min(S.currentRound(), 6);
  for (let r = S.currentRound() - rounds; r <= S.currentRound(); r++) {
    for (const p of peers) if (S.voterVoteCount(p) > 0) pairs.push([`votes ${r} ${JSON.stringify(p)}`, S.voterVotes(r, p), await read("getVoterVotes", [BigInt(r), p])]);
    for (let st = 0; st <= S.stageCount() + 1; st++) {
      pairs.push([`round-stage reward ${r}/${st}`, accounts.map((a) => S.roundStageReward(r, st, a)), await read("getRoundStageReward", [BigInt(r), BigInt(st), accounts.map((a) => C.address(a))])]);
      for (const p of peers) if (S.peerOwner(p) !== null) {
        pairs.push([`submitted ${r}/${st} ${JSON.stringify(p)}`, S.hasSubmittedRoundStageReward(r, st, p), await read("hasSubmittedRoundStageReward", [BigInt(r), BigInt(st), p])]);
      }
    }
  }
  for (const role of SwarmRoles) for (const a of accounts) {
    pairs.push([`${role} ${a}`, S.hasRole(role, a), await read("hasRole", [keccak256(stringToHex(role)), C.address(a)])]);
  }
}

describe("memory ledger vs contracts on anvil", () => {
  const nodes: ChainNode[] = [];
  afterAll(async () => {
    for (const n of nodes) await n.stop();
  });

  /** Runs `steps` traffic steps on both ledgers; returns what happened. */
  async function parity(seed: string, steps: number, next: (L: MemoryLedger, rng: Rng) => ReturnType<typeof nextTrafficStep> = nextTrafficStep, config: LedgerConfig = defaultLedgerConfig): Promise<{ ok: number; reverted: number; errors: Set<string>; games: number; compared: number; gas: Map<string, number[]> }> {
    const L = new MemoryLedger(config);
    const node = await startAnvil({ genesisTimestamp: L.config.genesisTime });
    nodes.push(node);
    const C = new Chain(node.url);
    await C.ok("anvil_autoImpersonateAccount", [true]);
    const t0 = L.config.genesisTime;
    for (const s of deploymentSteps(L.config)) {
      if (s.kind === "deploy") await C.send(s.from, null, "", s.args, t0, s.contract);
      else await C.send(s.from, s.contract, s.fn, s.args, t0);
    }
    let compared = await compareState(L, C);
    const rng = new Rng(seed);
    const out = { ok: 0, reverted: 0, errors: new Set<string>(), games: 0, compared: 0, gas: new Map<string, number[]>() };
    const run = async (call: LedgerCall): Promise<void> => {
      const cc = toContractCall(call);
      const time = L.now();
      let memoryError: string | null = null;
      try {
        applyCall(L, call);
      } catch (e) {
        if (!(e instanceof LedgerRevert)) throw e;
        memoryError = e.errorName;
      }
      if (memoryError === null) {
        const gas = await C.send(cc.from, cc.contract, cc.fn, cc.args, time);
        out.gas.set(call.method, [...(out.gas.get(call.method) ?? []), gas]);
        out.ok++;
      } else {
        const chainError = await C.revertName(cc.from, cc.contract, cc.fn, cc.args, time);
        expect({ call: call.method, args: String(call.args), error: chainError }).toEqual({ call: call.method, args: String(call.args), error: memoryError });
        out.reverted++;
        out.errors.add(memoryError);
      }
    };
    for (const call of trafficSetup()) await run(call);
    for (let i = 0; i < steps; i++) {
      const step = next(L, rng);
      if ("advance" in step) L.setTime(L.now() + step.advance);
      else await run(step);
      if (i % 200 === 199) compared += await compareState(L, C);
    }
    compared += await compareState(L, C);
    out.games = L.gameCount();
    out.compared = compared;
    await node.stop();
    return out;
  }

  test("fixed seed: same successes, same revert names, same state", async () => {
    const r = await parity("ledger-parity", 1_000);
    expect(r.ok).toBeGreaterThan(250);
    expect(r.reverted).toBeGreaterThan(250);
    expect(r.errors.size).toBeGreaterThanOrEqual(18);
    for (const name of ["PriceAboveTwap", "AccessControlUnauthorizedAccount", "ClaimsAgree", "WrongPhase", "UnstakeLocked"]) {
      expect(r.errors.has(name)).toBe(true);
    }
    expect(r.games).toBeGreaterThan(2);
    expect(r.compared).toBeGreaterThan(500);
    // core/ledger/gasTable.ts stays within 30% of the measured medians.
    expect(r.gas.size).toBeGreaterThanOrEqual(18);
    for (const [method, gas] of r.gas) {
      const median = [...gas].sort((a, b) => a - b)[gas.length >> 1];
      const table = typicalGas[method as keyof typeof typicalGas];
      expect({ method, ratio: Math.abs(median / table - 1) <= 0.3 }).toEqual({ method, ratio: true });
    }
  }, 120_000);

  test("several seeds: the same parity holds", async () => {
    for (const seed of ["p1", "p2", "p3", "p4"]) {
      const r = await parity(seed, 300);
      expect(r.ok + r.reverted).toBeGreaterThan(250);
    }
  }, 120_000);

  test("prediction markets mixed into the traffic: same successes, same revert names, same state", async () => {
    const r = await parity("prediction-parity", 1_000, (L, rng) => nextPredictionTrafficStep(L, rng, 0.5));
    expect(r.ok).toBeGreaterThan(150);
    for (const name of ["InvalidMarket", "WrongMarketStatus", "Slippage", "JudgeNotVerified", "InsufficientShares"]) {
      expect({ name, seen: r.errors.has(name) }).toEqual({ name, seen: true });
    }
    for (const method of ["createMarket", "buyShares", "sellShares", "resolveMarket", "redeem"]) {
      const gas = r.gas.get(method) ?? [];
      expect({ method, calls: gas.length > 0 }).toEqual({ method, calls: true });
      const median = [...gas].sort((a, b) => a - b)[gas.length >> 1];
      console.log(`${method}: ${gas.length} calls, median gas ${median}`);
      const table = typicalGas[method as keyof typeof typicalGas];
      expect({ method, median, ratio: Math.abs(median / table - 1) <= 0.3 }).toEqual({ method, median, ratio: true });
    }
  }, 120_000);
  const SWARM_METHODS = ["registerPeer", "updateStageAndRound", "submitWinners", "submitReward", "setStageCount",
    "grantSwarmRole", "revokeSwarmRole", "addBootnodes", "removeBootnode", "clearBootnodes"] as const;
  const SWARM_ERRORS = ["OnlyOwner", "OnlyStageManager", "OnlyBootnodeManager", "InvalidRoundNumber", "InvalidStageNumber",
    "WinnerAlreadyVoted", "InvalidVoterPeerId", "InvalidVote", "RewardAlreadySubmitted", "PeerIdAlreadyRegistered", "InvalidBootnodeIndex"];

  for (const [name, seed, steps, stageCount] of [["three stages (v1)", "swarm-parity", 900, 3], ["one stage (v0.6.0)", "swarm-parity-1", 500, 1]] as const) {
    test(`swarm traffic, ${name}: same successes, same revert names, same coordinator state`, async () => {
      const r = await parity(seed, steps, (L, rng) => nextSwarmTrafficStep(L, rng, 0.85), { ...defaultLedgerConfig, swarm: { stageCount } });
      expect(r.ok).toBeGreaterThan(steps / 5);
      expect(r.reverted).toBeGreaterThan(steps / 5);
      const seen = SWARM_ERRORS.filter((e) => r.errors.has(e));
      console.log(`swarm parity ${name}: ${r.ok} ok, ${r.reverted} reverted, ${r.compared} values compared, errors ${[...r.errors].sort().join(" ")}`);
      expect(seen.length).toBeGreaterThanOrEqual(stageCount === 3 ? 11 : 9);
      // core/ledger/gasTable.ts stays within 30% of the measured medians (methods called >= 5 times).
      const off: string[] = [];
      for (const method of SWARM_METHODS) {
        const gas = r.gas.get(method) ?? [];
        if (gas.length === 0) continue;
        const median = [...gas].sort((a, b) => a - b)[gas.length >> 1];
        console.log(`${method}: ${gas.length} calls, median gas ${median}`);
        if (gas.length >= 5 && Math.abs(median / typicalGas[method] - 1) > 0.3) off.push(`${method} ${median} vs ${typicalGas[method]}`);
      }
      expect(off).toEqual([]);
      expect(r.compared).toBeGreaterThan(1_000);
    }, 180_000);
  }
});
