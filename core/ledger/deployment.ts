// The protocol's deployment: parameters (defaults = contracts/test/utils/Protocol.sol) and the
// ordered deploy/wiring steps that sim/chain replays with viem and the memory ledger mirrors.
import type { Account } from "./ledger.ts";

const WAD = 10n ** 18n;

/** Every contract parameter an analyst can sweep (REFERENCE §1, §3, §9). Amounts in wei,
 * shares in basis points, durations in seconds. */
export interface LedgerConfig {
  /** Chain time (seconds) at virtual time 0. */
  genesisTime: number;
  staking: { unstakeDelay: number };
  market: {
    challengeWindow: number;
    protocolFeeBps: bigint;
    verifierFeeBps: bigint;
    minSolverStake: bigint;
    minVerifierStake: bigint;
  };
  dispute: { bond: bigint; slashAmount: bigint; clock: number };
  pool: { feeBps: bigint; seedUsd: bigint; seedGsn: bigint };
  vault: {
    executorRewardBps: bigint;
    burnBps: bigint;
    maxSlippageBps: bigint;
    dailyCap: bigint;
    /** The TWAP guard: the average spans at least twapWindow seconds (REFERENCE §9: >= 30 min),
     * and the spot price may exceed it by at most maxTwapDeviationBps (<= 1,000,000). */
    twapWindow: number;
    maxTwapDeviationBps: bigint;
  };
  /** SwarmCoordinator stages per round: 1 as v0.6.0 after initialize, 3 for the v1 game. */
  swarm: { stageCount: number };
  /** PredictionMarket fees (absent: defaultPredictionParams). */
  predictions?: { feeBps: bigint; protocolShareBps: bigint };
}

/** Trading fee 2% and the protocol's 0.5% of it to the vault (REFERENCE §9); = ProtocolDefaults.sol. */
export const defaultPredictionParams = { feeBps: 200n, protocolShareBps: 50n };

/** The fixed GSN supply minted once to the deployer (REFERENCE §9). */
export const MAX_SUPPLY = 10_000_000_000n * WAD;

export const defaultLedgerConfig: LedgerConfig = {
  genesisTime: 1_700_000_000,
  staking: { unstakeDelay: 7 * 86_400 },
  market: {
    challengeWindow: 3_600,
    protocolFeeBps: 50n, // 0.5% (REFERENCE §9)
    verifierFeeBps: 1_000n,
    minSolverStake: 1_000n * WAD,
    minVerifierStake: 1_000n * WAD,
  },
  dispute: { bond: 100n * WAD, slashAmount: 500n * WAD, clock: 3_600 },
  pool: { feeBps: 30n, seedUsd: 1_000_000n * WAD, seedGsn: 100_000_000n * WAD },
  vault: {
    executorRewardBps: 100n, burnBps: 7_000n, maxSlippageBps: 500n, dailyCap: 100_000n * WAD,
    twapWindow: 1_800, maxTwapDeviationBps: 1_000n,
  },
  swarm: { stageCount: 3 },
};

/** Contract names: the artifact names in contracts/artifacts/<Name>.json and their Accounts. */
export type ContractName =
  | "Token" | "StableToken" | "Staking" | "ConstantProductPool" | "BuybackVault"
  | "JobMarket" | "DisputeGame" | "SwarmCoordinator" | "PredictionMarket";

/** An argument of a deploy step: a plain value, an account (mapped to its address), a role
 * id (keccak256 of the role's name), or a struct tuple. */
export type DeployArg =
  | bigint | number | string
  | { account: Account }
  | { role: string }
  | { tuple: DeployArg[] };

export type DeployStep =
  | { kind: "deploy"; contract: ContractName; from: Account; args: DeployArg[] }
  | { kind: "call"; contract: ContractName; fn: string; from: Account; args: DeployArg[] };

export const MAX_UINT256 = (1n << 256n) - 1n;

const acct = (account: Account): DeployArg => ({ account });

/** The deployment in order. Every contract's Account is its name (ledger.ts contractAccounts). */
export function deploymentSteps(c: LedgerConfig): DeployStep[] {
  const d = "deployer";
  return [
    { kind: "deploy", contract: "Token", from: d, args: [acct(d)] },
    { kind: "deploy", contract: "StableToken", from: d, args: [acct(d)] },
    { kind: "deploy", contract: "Staking", from: d, args: [acct("Token"), c.staking.unstakeDelay, acct(d)] },
    { kind: "deploy", contract: "ConstantProductPool", from: d, args: [acct("StableToken"), acct("Token"), c.pool.feeBps, acct(d)] },
    {
      kind: "deploy", contract: "BuybackVault", from: d,
      args: [acct("StableToken"), acct("Token"), acct("ConstantProductPool"), acct("treasury"),
        { tuple: [c.vault.executorRewardBps, c.vault.burnBps, c.vault.maxSlippageBps, c.vault.dailyCap, c.vault.twapWindow, c.vault.maxTwapDeviationBps] }, acct(d)],
    },
    {
      kind: "deploy", contract: "JobMarket", from: d,
      args: [acct("StableToken"), acct("Staking"), acct("BuybackVault"),
        { tuple: [c.market.challengeWindow, c.market.protocolFeeBps, c.market.verifierFeeBps, c.market.minSolverStake, c.market.minVerifierStake] },
        acct(d)],
    },
    {
      kind: "deploy", contract: "DisputeGame", from: d,
      args: [acct("Token"), acct("Staking"), acct("JobMarket"), acct("treasury"),
        { tuple: [c.dispute.bond, c.dispute.slashAmount, c.dispute.clock] }, acct(d)],
    },
    // As the public rl-swarm-contracts deploy it: new, then initialize(owner), which grants all three roles.
    { kind: "deploy", contract: "SwarmCoordinator", from: d, args: [] },
    { kind: "call", contract: "SwarmCoordinator", fn: "initialize", from: d, args: [acct(d)] },
    { kind: "call", contract: "SwarmCoordinator", fn: "grantRole", from: d, args: [{ role: "STAGE_MANAGER_ROLE" }, acct("operator")] },
    { kind: "call", contract: "SwarmCoordinator", fn: "setStageCount", from: d, args: [c.swarm.stageCount] },
    { kind: "call", contract: "JobMarket", fn: "setDisputeGame", from: d, args: [acct("DisputeGame")] },
    { kind: "call", contract: "Staking", fn: "grantRole", from: d, args: [{ role: "SLASHER_ROLE" }, acct("DisputeGame")] },
    { kind: "call", contract: "JobMarket", fn: "grantRole", from: d, args: [{ role: "ASSIGNER_ROLE" }, acct("operator")] },
    { kind: "call", contract: "DisputeGame", fn: "grantRole", from: d, args: [{ role: "REFEREE_ROLE" }, acct("referee")] },
    { kind: "call", contract: "StableToken", fn: "mint", from: d, args: [acct(d), c.pool.seedUsd] },
    ...approvalSteps(d),
    { kind: "call", contract: "ConstantProductPool", fn: "seed", from: d, args: [c.pool.seedUsd, c.pool.seedGsn] },
    {
      kind: "deploy", contract: "PredictionMarket", from: d,
      args: [acct("StableToken"), acct("JobMarket"), acct("BuybackVault"), acct("treasury"),
        (c.predictions ?? defaultPredictionParams).feeBps, (c.predictions ?? defaultPredictionParams).protocolShareBps, acct(d)],
    },
    { kind: "call", contract: "PredictionMarket", fn: "grantRole", from: d, args: [{ role: "RESOLVER_ROLE" }, acct("operator")] },
  ];
}

/** Unlimited approvals an account gives the protocol contracts before its first call. The
 * memory ledger does not model allowances: every account behaves as if it had run these. */
export function approvalSteps(account: Account): DeployStep[] {
  const approve = (contract: ContractName, spender: ContractName): DeployStep =>
    ({ kind: "call", contract, fn: "approve", from: account, args: [acct(spender), MAX_UINT256] });
  return [
    approve("Token", "Staking"),
    approve("Token", "DisputeGame"),
    approve("Token", "ConstantProductPool"),
    approve("StableToken", "JobMarket"),
    approve("StableToken", "ConstantProductPool"),
    approve("StableToken", "PredictionMarket"),
  ];
}
