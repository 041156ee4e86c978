// Tests for tensor hashing: known digests, exact-byte sensitivity, hex helpers.
import { describe, expect, test } from "bun:test";
import { ProtocolError } from "../errors.ts";
import { digestFromHex, float32Bytes, fromHex, hashBytes, hashConcat, hashEqual, hashTensor, toHex } from "./hash.ts";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("hashBytes", () => {
  test("matches the published sha256 and keccak256 test vectors", () => {
    expect(toHex(hashBytes(ascii("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(hashBytes(new Uint8Array(0), "keccak256"))).toBe(
      "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
  });
  test("rejects an unknown algorithm with a ProtocolError", () => {
    expect(() => hashBytes(ascii("x"), "md5" as never)).toThrow(ProtocolError);
  });
});

describe("hashTensor", () => {
  test("hashes the little-endian float32 bytes", () => {
    const t = new Float32Array([1, -2.5]);
    expect(toHex(float32Bytes(t))).toBe("0000803f000020c0");
    expect(hashTensor(t)).toEqual(hashBytes(fromHex("0000803f000020c0")));
    expect(hashTensor(t, "keccak256")).toEqual(hashBytes(fromHex("0000803f000020c0"), "keccak256"));
  });
  test("respects a subarray's offset and length", () => {
    const whole = new Float32Array([7, 1, -2.5, 9]);
    expect(hashTensor(whole.subarray(1, 3))).toEqual(hashTensor(new Float32Array([1, -2.5])));
  });
  test("one-ulp and signed-zero changes change the hash", () => {
    const a = new Float32Array([0.1, 0]);
    const b = new Float32Array(a);
    new Uint32Array(b.buffer)[0] += 1;
    expect(hashEqual(hashTensor(a), hashTensor(b))).toBe(false);
    expect(hashEqual(hashTensor(a), hashTensor(new Float32Array([0.1, -0])))).toBe(false);
  });
});

describe("hashConcat", () => {
  test("equals the hash of the concatenated bytes", () => {
    const parts = [ascii("ab"), new Uint8Array(0), ascii("c")];
    expect(hashConcat(parts)).toEqual(hashBytes(ascii("abc")));
    expect(hashConcat(parts, "keccak256")).toEqual(hashBytes(ascii("abc"), "keccak256"));
  });
});

describe("hex helpers", () => {
  test("round-trip with and without 0x", () => {
    const d = hashBytes(ascii("abc"));
    expect(fromHex(toHex(d))).toEqual(d);
    expect(digestFromHex("0x" + toHex(d).toUpperCase())).toEqual(d);
  });
  test("reject malformed hex and wrong digest lengths", () => {
    expect(() => fromHex("abc")).toThrow(/malformed hex/);
    expect(() => fromHex("zz")).toThrow(ProtocolError);
    expect(() => digestFromHex("00ff")).toThrow(/must be 32 bytes, got 2/);
  });
});
