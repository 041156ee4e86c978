// Signing of legacy EIP-155 transactions for the block batcher, a whole chunk at a time: the
// same bytes as viem's LocalAccount.signTransaction (RFC 6979 deterministic k with HMAC-SHA256,
// low s; txSigner.test.ts compares them) at about a sixth of its CPU. Where the time goes
// (DESIGN: Settlement, measured with bench/chain.ts): k*G is read off a 10-bit window table of G
// over all 256 bits without the constant-time padding (about half of noble's `multiply`; noble
// 1.9.1's own `multiplyUnsafe` on G is wrong for scalars of more than 128 bits, its table only
// covering the endomorphism's halves), the RFC 6979 HMACs are native (node:crypto), the two
// inversions per signature (1/k mod n and the point's 1/Z) are done once per chunk (Montgomery's
// trick), and RLP is written directly. Constant time buys nothing here: every key is a public
// derivation ("gsim account n17", or the dev mnemonic: chainAccounts.ts), and these transactions
// exist only on a local dev chain.
import { createHmac } from "node:crypto";
import { wNAF } from "@noble/curves/abstract/curve";
import { secp256k1 } from "@noble/curves/secp256k1";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { checksumAddress, type Address, type Hex } from "viem";
import { ChainError } from "./chainError.ts";

const Point = secp256k1.ProjectivePoint;
const { Fp, n: N } = secp256k1.CURVE;
const HALF_N = N >> 1n;

/** Window of the table of multiples of G (2^(W-1) points per 10-bit window, 27 windows). */
const W = 10;
const wnaf = wNAF(Point as never, 256);
let table: unknown[] | null = null;

/** k*G (projective), not constant time. */
function mulG(k: bigint): InstanceType<typeof Point> {
  table ??= Point.normalizeZ(wnaf.precomputeWindow(Point.BASE as never, W) as never);
  return wnaf.wNAFUnsafe(W, table as never, k) as never;
}

/** A sender: its private key (32 bytes) and address. */
export interface SigningKey {
  readonly address: Address;
  readonly privateKey: Hex;
  /** The key as bytes and as a scalar (derived once). */
  readonly d: bigint;
  readonly dBytes: Uint8Array;
}

export function signingKey(privateKey: Hex): SigningKey {
  const dBytes = Uint8Array.from(Buffer.from(privateKey.slice(2), "hex"));
  const d = BigInt(privateKey);
  if (dBytes.length !== 32 || d === 0n || d >= N) throw new ChainError(`not a secp256k1 private key: ${privateKey.slice(0, 6)}...`);
  const pub = mulG(d).toAffine();
  const address = checksumAddress(`0x${Buffer.from(keccak_256(Buffer.concat([to32(pub.x), to32(pub.y)]))).toString("hex").slice(24)}`);
  return { address, privateKey, d, dBytes };
}

/** A legacy transaction with EIP-155 replay protection (value is always 0 here). */
export interface LegacyTx {
  nonce: number;
  gasPrice: bigint;
  gas: bigint;
  /** null creates a contract. */
  to: Address | null;
  data: Hex;
}

// --- RLP (Ethereum yellow paper, appendix B) ---------------------------------------------------

function bigBytes(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

function lengthPrefix(len: number, short: number, long: number): Uint8Array {
  if (len < 56) return Uint8Array.of(short + len);
  const l = bigBytes(BigInt(len));
  return Uint8Array.of(long + l.length, ...l);
}

function rlpString(b: Uint8Array): Uint8Array[] {
  if (b.length === 1 && b[0] < 0x80) return [b];
  return [lengthPrefix(b.length, 0x80, 0xb7), b];
}

function rlpList(items: Uint8Array[]): Uint8Array {
  const parts = items.flatMap(rlpString);
  const len = parts.reduce((a, p) => a + p.length, 0);
  return Buffer.concat([lengthPrefix(len, 0xc0, 0xf7), ...parts]);
}

const hexBytes = (h: Hex): Uint8Array => Buffer.from(h.slice(2), "hex");

// --- RFC 6979 nonce (section 3.2, as @noble/curves generates it) -----------------------------

const hmac = (key: Uint8Array, ...parts: Uint8Array[]): Uint8Array => {
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return h.digest();
};
const ZERO = Uint8Array.of(0);
const ONE = Uint8Array.of(1);

function rfc6979(dBytes: Uint8Array, h1: bigint): bigint {
  const seed = Buffer.concat([dBytes, to32(h1)]);
  let v: Uint8Array = new Uint8Array(32).fill(1);
  let k: Uint8Array = new Uint8Array(32);
  k = hmac(k, v, ZERO, seed);
  v = hmac(k, v);
  k = hmac(k, v, ONE, seed);
  v = hmac(k, v);
  for (let i = 0; i < 1000; i++) {
    v = hmac(k, v);
    const t = BigInt(`0x${Buffer.from(v).toString("hex")}`);
    if (t > 0n && t < N) return t;
    k = hmac(k, v, ZERO);
    v = hmac(k, v);
  }
  throw new ChainError("RFC 6979: no nonce in 1000 tries");
}

function to32(x: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(64, "0"), "hex"));
}

/** x^-1 for every x (all non-zero) modulo m, with one inversion (Montgomery's trick). */
function invertAll(xs: bigint[], m: bigint, inv: (x: bigint) => bigint): bigint[] {
  const prefix: bigint[] = new Array(xs.length);
  let acc = 1n;
  for (let i = 0; i < xs.length; i++) {
    prefix[i] = acc;
    acc = (acc * xs[i]) % m;
  }
  let ia = inv(acc);
  const out: bigint[] = new Array(xs.length);
  for (let i = xs.length - 1; i >= 0; i--) {
    out[i] = (ia * prefix[i]) % m;
    ia = (ia * xs[i]) % m;
  }
  return out;
}

/** a^-1 mod n (n prime) by the extended Euclidean algorithm. */
function invN(a: bigint): bigint {
  let [r0, r1, t0, t1] = [N, a % N, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % N) + N) % N;
}

/**
 * Signs each transaction with its key for chain `chainId`; returns the raw signed transactions
 * (0x-prefixed RLP), in order, byte-identical to viem's signTransaction({ type: "legacy", ... }).
 */
export function signLegacyBatch(items: readonly { key: SigningKey; tx: LegacyTx }[], chainId: number): Hex[] {
  if (items.length === 0) return [];
  const cid = BigInt(chainId);
  const fields = items.map(({ tx }) => [bigBytes(BigInt(tx.nonce)), bigBytes(tx.gasPrice), bigBytes(tx.gas), tx.to === null ? new Uint8Array(0) : hexBytes(tx.to), new Uint8Array(0), hexBytes(tx.data)]);
  const hashes = fields.map((f) => BigInt(`0x${Buffer.from(keccak_256(rlpList([...f, bigBytes(cid), new Uint8Array(0), new Uint8Array(0)]))).toString("hex")}`) % N);
  const ks = items.map(({ key }, i) => rfc6979(key.dBytes, hashes[i]));
  const points = ks.map(mulG);
  const invZ = invertAll(points.map((p) => p.pz), Fp.ORDER, (x) => Fp.inv(x));
  const invK = invertAll(ks, N, invN);
  return items.map(({ key }, i) => {
    const p = points[i];
    const x = Fp.mul(p.px, invZ[i]);
    const y = Fp.mul(p.py, invZ[i]);
    const r = x % N;
    let s = (invK[i] * ((hashes[i] + r * key.d) % N)) % N;
    if (r === 0n || s === 0n || x !== r) throw new ChainError(`signature of transaction ${i} hit a case of probability < 2^-120 (r = 0, s = 0 or x >= n)`);
    let parity = Number(y & 1n);
    if (s > HALF_N) {
      s = N - s;
      parity ^= 1;
    }
    const raw = rlpList([...fields[i], bigBytes(cid * 2n + 35n + BigInt(parity)), bigBytes(r), bigBytes(s)]);
    return `0x${Buffer.from(raw).toString("hex")}` as Hex;
  });
}
