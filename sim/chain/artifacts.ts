// Compiled contract artifacts (contracts/artifacts/<Name>.json, written by the contracts build):
// each holds the ABI and the creation bytecode; forge's own layout ({bytecode: {object}}) is
// accepted too, and contracts/out/<Name>.sol/<Name>.json is the fallback in a dev checkout.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeAbiParameters, encodeFunctionData, toFunctionSelector, type Abi, type AbiFunction, type Hex } from "viem";
import type { ContractName } from "../../core/ledger/deployment.ts";
import { ChainError } from "./chainError.ts";

export const ARTIFACTS_DIR = join(import.meta.dir, "..", "..", "contracts", "artifacts");

export interface Artifact {
  name: ContractName;
  abi: Abi;
  bytecode: Hex;
}

const cache = new Map<string, Artifact>();

/** forge's build output, used when contracts/artifacts has not been written (a dev checkout). */
export const FORGE_OUT_DIR = join(import.meta.dir, "..", "..", "contracts", "out");

export function loadArtifact(name: ContractName, dir = ARTIFACTS_DIR): Artifact {
  let path = join(dir, `${name}.json`);
  if (!existsSync(path) && dir === ARTIFACTS_DIR && existsSync(join(FORGE_OUT_DIR, `${name}.sol`, `${name}.json`))) {
    path = join(FORGE_OUT_DIR, `${name}.sol`, `${name}.json`);
  }
  const hit = cache.get(path);
  if (hit) return hit;
  if (!existsSync(path)) {
    throw new ChainError(`contract artifact ${path} is missing`, { details: "build the contracts first (see contracts/README or `forge build`)" });
  }
  const json = JSON.parse(readFileSync(path, "utf8")) as { abi?: Abi; bytecode?: string | { object?: string } };
  const raw = typeof json.bytecode === "string" ? json.bytecode : json.bytecode?.object;
  if (!json.abi || !raw) throw new ChainError(`contract artifact ${path} has no abi or bytecode`);
  const art: Artifact = { name, abi: json.abi, bytecode: (raw.startsWith("0x") ? raw : `0x${raw}`) as Hex };
  cache.set(path, art);
  return art;
}

const functionAbis = new Map<string, Abi>();

/** A one-item ABI for `contract.fn`, looked up once (viem would search the whole ABI per call).
 * `fn` is a name, or a 4-byte selector for one overload (SwarmCoordinator.submitReward's int256
 * and uint256 overloads take the same JavaScript bigint: viem cannot pick between them). */
export function functionAbi(contract: ContractName, fn: string): Abi {
  const key = `${contract}.${fn}`;
  let abi = functionAbis.get(key);
  if (abi === undefined) {
    const bySelector = fn.startsWith("0x");
    const all = loadArtifact(contract).abi.filter((x) => x.type === "function" && (bySelector ? toFunctionSelector(x) === fn : x.name === fn));
    if (all.length > 1) return loadArtifact(contract).abi; // overloaded: let viem pick by arguments
    const item = all[0] as AbiFunction | undefined;
    if (item === undefined) throw new ChainError(`contract ${contract} has no function ${fn}`);
    abi = [item];
    functionAbis.set(key, abi);
  }
  return abi;
}

const selectors = new Map<string, { selector: string; item: AbiFunction } | null>();

/**
 * encodeFunctionData for `contract.fn` with the selector computed once (viem hashes the
 * function's signature on every call: a third of the cost of encoding a ledger change);
 * overloaded functions go to viem, which picks the overload by the arguments.
 */
export function encodeCall(contract: ContractName, fn: string, args: readonly unknown[]): Hex {
  const key = `${contract}.${fn}`;
  let hit = selectors.get(key);
  if (hit === undefined) {
    const abi = functionAbi(contract, fn);
    hit = abi.length === 1 && abi[0].type === "function" ? { selector: toFunctionSelector(abi[0]), item: abi[0] } : null;
    selectors.set(key, hit);
  }
  if (hit === null) return encodeFunctionData({ abi: functionAbi(contract, fn), functionName: fn, args } as never);
  if (hit.item.inputs.length === 0) return hit.selector as Hex;
  return `${hit.selector}${encodeAbiParameters(hit.item.inputs, args as never).slice(2)}` as Hex;
}
