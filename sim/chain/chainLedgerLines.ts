// Reads the chain's own view of every account in the same line format as the market summary's
// ledger digest (core/market/marketSummary.ts ledgerStateLines), so a chain can be compared with
// a memory run value by value.
import { decodeFunctionResult, encodeFunctionData, type Address, type Hex } from "viem";
import type { ContractName } from "../../core/ledger/deployment.ts";
import type { Account } from "../../core/ledger/ledger.ts";
import { loadArtifact } from "./artifacts.ts";
import { jsonRpcRequests } from "./jsonRpcBatch.ts";

/** `account|GSN|USD|stake|pendingAmount|unlockAt` for each account, in the given order. */
export async function chainLedgerLines(url: string, accounts: readonly Account[], address: (a: Account) => Address): Promise<string[]> {
  const views: [ContractName, string][] = [["Token", "balanceOf"], ["StableToken", "balanceOf"], ["Staking", "stakeOf"], ["Staking", "pendingUnstake"]];
  const requests = accounts.flatMap((a) =>
    views.map(([contract, fn]) => ({
      method: "eth_call",
      params: [{ to: address(contract), data: encodeFunctionData({ abi: loadArtifact(contract).abi, functionName: fn, args: [address(a)] } as never) }, "latest"],
    })),
  );
  const results = (await jsonRpcRequests(url, requests, { chunk: 1_000 })) as Hex[];
  return accounts.map((a, i) => {
    const values = views.map(([contract, fn], k) => decodeFunctionResult({ abi: loadArtifact(contract).abi, functionName: fn, data: results[i * views.length + k] } as never) as unknown);
    const pending = values[3] as readonly [bigint, bigint];
    return `${a}|${values[0]}|${values[1]}|${values[2]}|${pending[0]}|${pending[1]}`;
  });
}

/** Total supply of the GSN token and the stable asset on chain. */
export async function chainSupplies(url: string, address: (a: Account) => Address): Promise<{ gsn: bigint; usd: bigint }> {
  const call = (contract: ContractName) => ({
    method: "eth_call",
    params: [{ to: address(contract), data: encodeFunctionData({ abi: loadArtifact(contract).abi, functionName: "totalSupply", args: [] } as never) }, "latest"],
  });
  const [gsn, usd] = (await jsonRpcRequests(url, [call("Token"), call("StableToken")])) as Hex[];
  return { gsn: BigInt(gsn), usd: BigInt(usd) };
}
