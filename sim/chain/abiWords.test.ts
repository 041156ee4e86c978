// The static-output decoder against viem's decodeFunctionResult, for every view function of every
// contract artifact, on results made of random words that are valid for each output type.
import { describe, expect, test } from "bun:test";
import { decodeFunctionResult, encodeFunctionData, type Abi, type AbiFunction, type AbiParameter, type Hex } from "viem";
import { decodeResult } from "./abiWords.ts";
import { encodeCall, functionAbi, loadArtifact } from "./artifacts.ts";

const CONTRACTS = ["Token", "StableToken", "Staking", "JobMarket", "DisputeGame", "ConstantProductPool", "BuybackVault", "SwarmCoordinator", "PredictionMarket"] as const;

/** A deterministic 32-bit generator (xorshift). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

function randomHex(next: () => number, bytes: number): string {
  let s = "";
  for (let i = 0; i < bytes; i++) s += (next() & 255).toString(16).padStart(2, "0");
  return s;
}

/** One valid 32-byte word per static value of `p`, or null if `p` is not static. */
function words(p: AbiParameter, next: () => number): string[] | null {
  const t = p.type;
  let m: RegExpExecArray | null;
  if ((m = /^(u?)int(\d*)$/.exec(t))) {
    const bits = Number(m[2] || 256);
    const v = BigInt(`0x${randomHex(next, 32)}`) & ((1n << BigInt(bits)) - 1n);
    const small = next() % 3 === 0 ? v & 0xffn : v; // small values too
    const signed = m[1] === "" && small >= 1n << BigInt(bits - 1) ? small - (1n << BigInt(bits)) : small;
    return [(signed < 0n ? (1n << 256n) + signed : signed).toString(16).padStart(64, "0")];
  }
  if (t === "address") return [`${"0".repeat(24)}${next() % 4 === 0 ? "0".repeat(40) : randomHex(next, 20)}`];
  if (t === "bool") return [(next() % 2).toString(16).padStart(64, "0")];
  if ((m = /^bytes(\d+)$/.exec(t))) return [randomHex(next, Number(m[1])).padEnd(64, "0")];
  if (t === "tuple" && "components" in p) {
    const parts = p.components.map((c) => words(c, next));
    return parts.some((x) => x === null) ? null : (parts as string[][]).flat();
  }
  return null;
}

const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}n` : typeof x === "string" ? x.toLowerCase() : x));

describe("decodeResult", () => {
  test("equals viem's decoding for every static-output view function (50 random results each)", () => {
    const next = rng(7);
    let compared = 0;
    for (const name of CONTRACTS) {
      const views = loadArtifact(name).abi.filter((x): x is AbiFunction => x.type === "function" && (x.stateMutability === "view" || x.stateMutability === "pure") && x.outputs.length > 0);
      for (const fn of views) {
        const abi: Abi = [fn];
        for (let r = 0; r < 50; r++) {
          const ws = fn.outputs.map((o) => words(o, next));
          if (ws.some((w) => w === null)) break; // dynamic outputs: decodeResult hands them to viem
          const data = `0x${(ws as string[][]).flat().join("")}` as Hex;
          expect(canon(decodeResult(abi, fn.name, data))).toBe(canon(decodeFunctionResult({ abi, functionName: fn.name, data } as never)));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1_000);
  });

  test("numbers up to 48 bits and bigints above, as viem gives them; short data goes to viem", () => {
    const abi: Abi = [{ type: "function", name: "f", stateMutability: "view", inputs: [], outputs: [{ name: "a", type: "uint8" }, { name: "b", type: "uint256" }, { name: "c", type: "int32" }] }];
    const data = `0x${"7".padStart(64, "0")}${"ff".padStart(64, "0")}${"f".repeat(64)}` as Hex;
    expect(decodeResult(abi, "f", data)).toEqual([7, 255n, -1]);
    expect(() => decodeResult(abi, "f", "0x")).toThrow(); // viem's own error for an empty result
  });
});

describe("encodeCall", () => {
  test("equals viem's encodeFunctionData, with and without arguments", () => {
    const a = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    const cases: [(typeof CONTRACTS)[number], string, unknown[]][] = [
      ["Token", "transfer", [a, 123_456_789n]],
      ["Token", "totalSupply", []],
      ["Staking", "pendingUnstake", [a]],
      ["JobMarket", "getJob", [77n]],
      ["Token", "balanceOf", [a.toLowerCase()]],
    ];
    for (const [contract, fn, args] of cases) {
      expect(encodeCall(contract, fn, args)).toBe(encodeFunctionData({ abi: functionAbi(contract, fn), functionName: fn, args } as never));
    }
  });
});
