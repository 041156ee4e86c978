// Decoding of view-function results whose outputs are all static ABI types (uintN, intN, address,
// bool, bytesN, tuples of these: every value one 32-byte word in order), read straight off the
// hex: about twenty times cheaper than viem's general decoder, which reconciliation used to spend
// most of its client time in (DESIGN: Settlement). Values come out as viem gives them (uint/int
// up to 48 bits as numbers, wider as bigints; a tuple with named components as an object; more
// than one output as an array) except addresses, which stay lower case (reconciliation compares
// lower-cased strings). Any other output list goes to viem; abiWords.test.ts compares the two.
import { decodeFunctionResult, type Abi, type AbiParameter, type Hex } from "viem";

type Read = (hex: string, word: number) => unknown;
interface Decoder {
  words: number;
  read: Read;
}

const TWO_256 = 1n << 256n;

function word(hex: string, i: number): string {
  return hex.slice(2 + 64 * i, 2 + 64 * (i + 1));
}

/** A reader for one static parameter, or null when it is not one of the static types handled. */
function reader(p: AbiParameter): Decoder | null {
  const t = p.type;
  let m: RegExpExecArray | null;
  if ((m = /^(u?)int(\d*)$/.exec(t))) {
    const bits = Number(m[2] || 256);
    const signed = m[1] === "";
    return {
      words: 1,
      read: (hex, i) => {
        let v = BigInt(`0x${word(hex, i)}`);
        if (signed && v >= TWO_256 >> 1n) v -= TWO_256;
        return bits <= 48 ? Number(v) : v;
      },
    };
  }
  if (t === "address") return { words: 1, read: (hex, i) => `0x${word(hex, i).slice(24)}` };
  if (t === "bool") return { words: 1, read: (hex, i) => BigInt(`0x${word(hex, i)}`) !== 0n };
  if ((m = /^bytes(\d+)$/.exec(t))) {
    const n = Number(m[1]);
    return { words: 1, read: (hex, i) => `0x${word(hex, i).slice(0, 2 * n)}` };
  }
  if (t === "tuple" && "components" in p) return group(p.components, p.components.every((c) => c.name));
  return null;
}

/** Parameters one after another; as an object by name, or as an array. */
function group(params: readonly AbiParameter[], named: boolean): Decoder | null {
  const parts = params.map(reader);
  if (parts.some((x) => x === null)) return null;
  const ps = parts as Decoder[];
  return {
    words: ps.reduce((a, d) => a + d.words, 0),
    read: (hex, i) => {
      const out: Record<string, unknown> | unknown[] = named ? {} : [];
      let at = i;
      ps.forEach((d, k) => {
        const v = d.read(hex, at);
        at += d.words;
        if (named) (out as Record<string, unknown>)[params[k].name!] = v;
        else (out as unknown[]).push(v);
      });
      return out;
    },
  };
}

const decoders = new WeakMap<Abi, Decoder | null>();

/** decodeFunctionResult for a one-function ABI (artifacts.ts functionAbi) named `fn`. */
export function decodeResult(abi: Abi, fn: string, data: Hex): unknown {
  let d = decoders.get(abi);
  if (d === undefined) {
    const item = abi.length === 1 && abi[0].type === "function" ? abi[0] : null;
    d = item !== null && item.outputs.length > 0 ? group(item.outputs, false) : null;
    if (d !== null && item!.outputs.length === 1) {
      const inner = d;
      d = { words: inner.words, read: (hex, i) => (inner.read(hex, i) as unknown[])[0] };
    }
    decoders.set(abi, d);
  }
  if (d === null || data.length !== 2 + 64 * d.words) return decodeFunctionResult({ abi, functionName: fn, data } as never);
  return d.read(data, 0);
}
