// Hashes of tensors' exact float32 bytes (little-endian) for Verde commitments (REFERENCE §3, DESIGN Verification).
import { sha256 } from "@noble/hashes/sha2.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { ProtocolError } from "../errors.ts";

/** Hash functions a commitment may use. Every digest is 32 bytes. */
export type HashAlgorithm = "sha256" | "keccak256";

/** Length in bytes of every digest produced here. */
export const HASH_BYTES = 32;

type Hasher = { update(bytes: Uint8Array): Hasher; digest(): Uint8Array };

function hasher(algorithm: HashAlgorithm): Hasher {
  if (algorithm === "sha256") return sha256.create() as unknown as Hasher;
  if (algorithm === "keccak256") return keccak_256.create() as unknown as Hasher;
  throw new ProtocolError(`unknown hash algorithm ${JSON.stringify(algorithm)}`, {
    details: 'expected "sha256" or "keccak256"',
  });
}

let littleEndianHost: boolean | undefined;
function isLittleEndianHost(): boolean {
  if (littleEndianHost === undefined) littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  return littleEndianHost;
}

/** The exact IEEE-754 bytes of a float32 array in little-endian order (a view when the host is LE). */
export function float32Bytes(data: Float32Array): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (isLittleEndianHost()) return view;
  const out = new Uint8Array(view.length);
  for (let i = 0; i < view.length; i += 4) {
    out[i] = view[i + 3]; out[i + 1] = view[i + 2]; out[i + 2] = view[i + 1]; out[i + 3] = view[i];
  }
  return out;
}

/** Hash of raw bytes. */
export function hashBytes(bytes: Uint8Array, algorithm: HashAlgorithm = "sha256"): Uint8Array {
  return hasher(algorithm).update(bytes).digest();
}

/**
 * Hash of a tensor's exact float32 bytes (little-endian). Shape is not included: two tensors
 * with the same elements hash equal; bind the shape with hashConcat when it matters.
 * -0 and +0 hash differently, as do different NaN payloads: the bytes are the value.
 */
export function hashTensor(data: Float32Array, algorithm: HashAlgorithm = "sha256"): Uint8Array {
  return hashBytes(float32Bytes(data), algorithm);
}

/** Hash of the concatenation of several byte strings, without building the concatenation. */
export function hashConcat(parts: readonly Uint8Array[], algorithm: HashAlgorithm = "sha256"): Uint8Array {
  const h = hasher(algorithm);
  for (const p of parts) h.update(p);
  return h.digest();
}

const HEX = "0123456789abcdef";

/** Lower-case hex of bytes (no 0x prefix). */
export function toHex(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

/** Bytes from hex (optional 0x prefix, either case). Throws ProtocolError on malformed input. */
export function fromHex(hex: string): Uint8Array {
  const s = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    throw new ProtocolError(`malformed hex string ${JSON.stringify(hex.length > 80 ? hex.slice(0, 80) + "..." : hex)}`, {
      details: "expected an even number of hex digits, optional 0x prefix",
    });
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** 32-byte digest from hex; throws ProtocolError unless it is exactly 32 bytes. */
export function digestFromHex(hex: string): Uint8Array {
  const out = fromHex(hex);
  if (out.length !== HASH_BYTES) {
    throw new ProtocolError(`digest must be ${HASH_BYTES} bytes, got ${out.length}`, { details: `hex: ${hex}` });
  }
  return out;
}

/** Byte-wise equality of two digests (or any byte strings). */
export function hashEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
