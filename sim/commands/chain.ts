// `gsim chain`: the settlement chain on its own. `up` starts anvil with the protocol deployed and
// keeps it until Ctrl-C (to inspect with cast or viem); `run` runs a scenario settled on anvil,
// ours or an external node given by --rpc.
import { defaultLedgerConfig } from "../../core/ledger/deployment.ts";
import { MemoryLedger } from "../../core/ledger/memoryLedger.ts";
import { ConfigError } from "../../core/errors.ts";
import { EXIT_OK, type Command } from "../command.ts";
import { AnvilSettlement } from "../chain/anvilSettlement.ts";
import { settlementTarget } from "../chain/marketEntry.ts";
import { runScenario } from "../run/runScenario.ts";
import { loadScenario } from "../scenario/load.ts";
import { parseRunArgs, parseSeed } from "./run.ts";

const CONTRACTS = ["Token", "StableToken", "Staking", "ConstantProductPool", "BuybackVault", "JobMarket", "DisputeGame", "SwarmCoordinator"] as const;

const HELP = `usage: gsim chain up [--rpc URL]
       gsim chain run FILE [--rpc URL] [--seed N] [--out DIR] [--set path=value]... [--quiet]

up    starts anvil on a free loopback port (or uses --rpc URL), deploys the protocol contracts at
      the ledger's genesis time, prints the RPC URL, accounts and contract addresses as JSON, and
      keeps running until Ctrl-C; then anvil is stopped by its PID.
run   runs the scenario with settle: anvil: every ledger change is a transaction, one block per
      virtual second, chain state reconciled with the in-memory ledger after each block.
      With --rpc the chain is an anvil you started (anvil --timestamp 1700000000); it is left running.

exit codes: 0 ok; 2 bad input, the chain failed or disagreed with the ledger (the run directory
is kept with summary.json status "incomplete")`;

function parseRpc(text: string | undefined): string | null {
  if (text === undefined) return null;
  if (!/^https?:\/\/[^\s]+$/.test(text)) throw new ConfigError(`--rpc: expected an http(s) URL, got ${JSON.stringify(text)}`);
  return text;
}

async function up(rpc: string | null): Promise<number> {
  const memory = new MemoryLedger(defaultLedgerConfig);
  const settlement = await AnvilSettlement.open(memory, { rpc: rpc ?? undefined });
  const contracts = Object.fromEntries(CONTRACTS.map((c) => [c, settlement.address(c)]));
  const accounts = Object.fromEntries(["deployer", "operator", "referee", "treasury"].map((a) => [a, settlement.address(a)]));
  console.log(JSON.stringify({ rpc: settlement.node.url, pid: settlement.node.pid, genesisTime: defaultLedgerConfig.genesisTime, accounts, contracts }, null, 2));
  console.error("chain is up; Ctrl-C stops it");
  await new Promise<void>((resolve) => settlement.node.onDeath(() => resolve()));
  return EXIT_OK;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseRunArgs(argv, { rpc: { type: "string" } });
  if (values.settle !== undefined || values.backend !== undefined) throw new ConfigError("gsim chain run settles on anvil; use gsim run for --settle and --backend");
  if (positionals.length !== 1) throw new ConfigError(`expected one scenario FILE, got ${positionals.length} (see --help)`);
  const file = positionals[0];
  const sets = values.set ?? [];
  const scenario = loadScenario(file, { sets });
  const seed = parseSeed(values.seed) ?? scenario.seed;
  if (seed === undefined) throw new ConfigError(`${file}: no seed: give --seed N or add 'seed:' to the file`);
  const outDir = values.out ?? `runs/${scenario.name}-s${seed}-anvil`;
  settlementTarget.rpc = parseRpc((values as { rpc?: string }).rpc);
  try {
    const r = await runScenario(scenario, { seed, outDir, quiet: values.quiet, settle: "anvil", source: { file, sets }, keepIncomplete: true });
    if (!values.quiet) {
      const s = (r.summary.workload as any)?.settlement;
      if (s) console.log(`settled ${s.ledgerChanges} ledger changes in ${s.transactions} transactions over ${s.blocks} blocks; ${s.reconciledValues} values reconciled`);
      console.log(`wrote ${r.outDir}`);
    }
    return EXIT_OK;
  } finally {
    settlementTarget.rpc = null;
  }
}

export const command: Command = {
  name: "chain",
  summary: "start the settlement chain with the protocol deployed, or run a scenario settled on it",
  help: HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === "up") {
      const { values, positionals } = parseRunArgs(rest, { rpc: { type: "string" } });
      if (positionals.length > 0) throw new ConfigError(`gsim chain up takes no FILE, got ${positionals.join(" ")}`);
      return up(parseRpc((values as { rpc?: string }).rpc));
    }
    if (sub === "run") return run(rest);
    throw new ConfigError(`gsim chain: expected 'up' or 'run', got ${sub === undefined ? "nothing" : JSON.stringify(sub)} (see --help)`);
  },
};
