// The batch signer against viem's own signTransaction: the same raw bytes for legacy EIP-155
// transactions over nonces, gas prices, payload sizes (RLP's short and long forms), contract
// creation and keys from both derivations chainAccounts.ts uses.
import { describe, expect, test } from "bun:test";
import { keccak256, stringToHex, toHex, type Hex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { DEV_MNEMONIC } from "./chainAccounts.ts";
import { signLegacyBatch, signingKey, type LegacyTx } from "./txSigner.ts";

const keys: Hex[] = [
  keccak256(stringToHex("gsim account n1")),
  keccak256(stringToHex("gsim account n17")),
  toHex(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 }).getHdKey().privateKey!),
  toHex(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 3 }).getHdKey().privateKey!),
];

/** A deterministic byte string of length n (xorshift). */
function bytes(n: number, seed: number): Hex {
  let x = seed >>> 0 || 1;
  let s = "0x";
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += (x & 255).toString(16).padStart(2, "0");
  }
  return s as Hex;
}

describe("signLegacyBatch", () => {
  test("same raw transactions as viem's signTransaction, for 200 varied transactions", async () => {
    const to = privateKeyToAccount(keys[1]).address;
    const sizes = [0, 1, 4, 36, 55, 56, 68, 255, 256, 1_000, 24_000];
    const nonces = [0, 1, 127, 128, 255, 256, 65_535, 1 << 20];
    const items: { key: ReturnType<typeof signingKey>; tx: LegacyTx }[] = [];
    for (let i = 0; i < 200; i++) {
      const size = sizes[i % sizes.length];
      let data = bytes(size, i + 1);
      if (size === 1) data = (i % 2 ? "0x05" : "0x9a") as Hex; // one byte below 0x80 is its own RLP
      items.push({
        key: signingKey(keys[i % keys.length]),
        tx: { nonce: nonces[i % nonces.length] + i, gasPrice: BigInt(i * 7919), gas: BigInt(21_000 + i * 1_000), to: i % 13 === 0 ? null : to, data },
      });
    }
    for (const chainId of [31_337, 1]) {
      const ours = signLegacyBatch(items, chainId);
      const theirs = await Promise.all(
        items.map(({ key, tx }) =>
          privateKeyToAccount(key.privateKey).signTransaction({ type: "legacy", chainId, nonce: tx.nonce, to: tx.to ?? undefined, data: tx.data, gas: tx.gas, gasPrice: tx.gasPrice }),
        ),
      );
      expect(ours).toEqual(theirs);
    }
  }, 60_000); // 400 signatures through viem: slow on a loaded machine, not a timing check

  test("a key's address is the one viem derives; a bad key is refused naming it", () => {
    expect(signingKey(keys[2]).address).toBe(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 }).address);
    for (const k of keys) expect(signingKey(k).address).toBe(privateKeyToAccount(k).address);
    expect(() => signingKey(`0x${"0".repeat(64)}`)).toThrow("not a secp256k1 private key");
    expect(signLegacyBatch([], 1)).toEqual([]);
  });
});
