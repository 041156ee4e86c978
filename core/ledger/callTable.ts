// Which contract function each Ledger call is on chain: pure data for sim/chain's viem adapter.
import type { LedgerCall, Account } from "./ledger.ts";
import type { ContractName, DeployArg } from "./deployment.ts";

/** One transaction: sent by `from` to `contract`, calling `fn` with `args` (accounts as
 * {account} markers, mapped to addresses by the adapter; contracts' Accounts are their names). */
export interface ContractCall {
  from: Account;
  contract: ContractName;
  fn: string;
  args: (DeployArg | DeployArg[] | boolean)[];
}

const acct = (account: Account): DeployArg => ({ account });

/** The selector of SwarmCoordinator.submitReward(uint256,uint256,int256,string): the contract also
 * has a uint256 overload (v0.6.0), and a bigint reward fits both, so the call names its selector. */
export const SUBMIT_REWARD_INT256 = "0x5194e15f";

/** The transaction for a journaled call (ledger.ts LedgerEntry.call). */
export function toContractCall(call: LedgerCall): ContractCall {
  switch (call.method) {
    case "transfer": {
      const [from, to, asset, amount] = call.args;
      return { from, contract: asset === "GSN" ? "Token" : "StableToken", fn: "transfer", args: [acct(to), amount] };
    }
    case "mintUsd": {
      const [from, to, amount] = call.args;
      return { from, contract: "StableToken", fn: "mint", args: [acct(to), amount] };
    }
    case "burn": {
      const [from, amount] = call.args;
      return { from, contract: "Token", fn: "burn", args: [amount] };
    }
    case "stake":
    case "requestUnstake": {
      const [from, amount] = call.args;
      return { from, contract: "Staking", fn: call.method, args: [amount] };
    }
    case "withdraw":
      return { from: call.args[0], contract: "Staking", fn: "withdraw", args: [] };
    case "slash": {
      const [from, account, amount, recipient] = call.args;
      return { from, contract: "Staking", fn: "slash", args: [acct(account), amount, acct(recipient)] };
    }
    case "postJob": {
      const [from, a] = call.args;
      return { from, contract: "JobMarket", fn: "postJob", args: [a.fee, a.specHash, a.steps, a.graphNodes] };
    }
    case "cancelJob":
    case "finalize": {
      const [from, jobId] = call.args;
      return { from, contract: "JobMarket", fn: call.method, args: [jobId] };
    }
    case "assign": {
      const [from, jobId, solver, verifiers] = call.args;
      return { from, contract: "JobMarket", fn: "assign", args: [jobId, acct(solver), verifiers.map(acct)] };
    }
    case "commit":
    case "challenge": {
      const [from, jobId, root] = call.args;
      return { from, contract: "JobMarket", fn: call.method, args: [jobId, root] };
    }
    case "claim":
    case "rule": {
      const [from, gameId, hash] = call.args;
      return { from, contract: "DisputeGame", fn: call.method, args: [gameId, hash] };
    }
    case "timeout": {
      const [from, gameId] = call.args;
      return { from, contract: "DisputeGame", fn: "timeout", args: [gameId] };
    }
    case "swap": {
      const [from, assetIn, amountIn, minOut] = call.args;
      const tokenIn = acct(assetIn === "GSN" ? "Token" : "StableToken");
      return { from, contract: "ConstantProductPool", fn: "swap", args: [tokenIn, amountIn, minOut, acct(from)] };
    }
    case "buyback": {
      const [from, amountIn] = call.args;
      return { from, contract: "BuybackVault", fn: "buyback", args: [amountIn] };
    }
    case "registerPeer": {
      const [from, peerId] = call.args;
      return { from, contract: "SwarmCoordinator", fn: "registerPeer", args: [peerId] };
    }
    case "updateStageAndRound":
      return { from: call.args[0], contract: "SwarmCoordinator", fn: "updateStageAndRound", args: [] };
    case "submitWinners": {
      const [from, round, winners, voter] = call.args;
      return { from, contract: "SwarmCoordinator", fn: "submitWinners", args: [round, winners, voter] };
    }
    case "submitReward": {
      const [from, round, stage, reward, peerId] = call.args;
      return { from, contract: "SwarmCoordinator", fn: SUBMIT_REWARD_INT256, args: [round, stage, reward, peerId] };
    }
    case "setStageCount": {
      const [from, count] = call.args;
      return { from, contract: "SwarmCoordinator", fn: "setStageCount", args: [count] };
    }
    case "grantSwarmRole":
    case "revokeSwarmRole": {
      const [from, role, account] = call.args;
      return { from, contract: "SwarmCoordinator", fn: call.method === "grantSwarmRole" ? "grantRole" : "revokeRole", args: [{ role }, acct(account)] };
    }
    case "addBootnodes": {
      const [from, bootnodes] = call.args;
      return { from, contract: "SwarmCoordinator", fn: "addBootnodes", args: [bootnodes] };
    }
    case "removeBootnode": {
      const [from, index] = call.args;
      return { from, contract: "SwarmCoordinator", fn: "removeBootnode", args: [index] };
    }
    case "clearBootnodes":
      return { from: call.args[0], contract: "SwarmCoordinator", fn: "clearBootnodes", args: [] };
    case "createMarket": {
      const [from, a] = call.args;
      return { from, contract: "PredictionMarket", fn: "createMarket", args: [a.judgeSpec, a.outcomes, a.resolveAt, a.liquidity] };
    }
    case "buyShares": {
      const [from, marketId, outcome, amount, minShares] = call.args;
      return { from, contract: "PredictionMarket", fn: "buy", args: [marketId, outcome, amount, minShares] };
    }
    case "sellShares": {
      const [from, marketId, outcome, returned, maxShares] = call.args;
      return { from, contract: "PredictionMarket", fn: "sell", args: [marketId, outcome, returned, maxShares] };
    }
    case "resolveMarket": {
      const [from, marketId, jobId, root, winner] = call.args;
      return { from, contract: "PredictionMarket", fn: "resolve", args: [marketId, jobId, root, winner] };
    }
    case "redeem": {
      const [from, marketId] = call.args;
      return { from, contract: "PredictionMarket", fn: "redeem", args: [marketId] };
    }
  }
}
