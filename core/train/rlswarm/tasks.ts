// RL Swarm's verifiable task specialties (REFERENCE §7; the public swarm draws nine reasoning-gym
// tasks): five procedurally generated, exactly verifiable families of different difficulty, in a
// character alphabet the policy reads and writes. Reward 0/1, with partial credit where the task
// has it (an unreduced but equal fraction scores 0.5).
import type { Rng } from "../../des/rng.ts";
import { ConfigError } from "../../errors.ts";

/** Digits, operators, "=", end of answer ".", padding "_", and one tag letter per specialty. */
export const SWARM_ALPHABET = "0123456789+-*/&|=._abcfl";
export const SWARM_VOCAB = SWARM_ALPHABET.length;
export const SWARM_EOS = SWARM_ALPHABET.indexOf(".");
export const SWARM_PAD = SWARM_ALPHABET.indexOf("_");

/** Families, easiest first: addition, propositional logic, calendar (day-of-week) arithmetic, base conversion, fraction simplification. */
export const SPECIALTIES = ["arith", "logic", "calendar", "base", "fraction"] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export interface SwarmTask {
  specialty: Specialty;
  /** e.g. "a3+5=" */
  prompt: string;
  /** The exact answer text (without the end mark), e.g. "8". */
  answer: string;
}

const TAG: Record<Specialty, string> = { arith: "a", logic: "l", calendar: "c", base: "b", fraction: "f" };

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The exact answer of a prompt, computed from the prompt alone (the receiver's own solver). */
export function solve(prompt: string): string | null {
  const m = /^([alcbf])(.*)=$/.exec(prompt);
  if (!m) return null;
  const body = m[2];
  switch (m[1]) {
    case "a": {
      const x = /^(\d)\+(\d)$/.exec(body);
      return x ? String(Number(x[1]) + Number(x[2])) : null;
    }
    case "l": {
      // Left to right, no precedence: "1&0|1" = (1&0)|1.
      const x = /^([01])([&|])([01])([&|])([01])$/.exec(body);
      if (!x) return null;
      const op = (a: number, o: string, b: number) => (o === "&" ? a & b : a | b);
      return String(op(op(Number(x[1]), x[2], Number(x[3])), x[4], Number(x[5])));
    }
    case "c": {
      // Day of week d (0 = Monday) plus n days.
      const x = /^([0-6])\+(\d{1,2})$/.exec(body);
      return x ? String((Number(x[1]) + Number(x[2])) % 7) : null;
    }
    case "b": {
      const x = /^(\d{1,2})$/.exec(body);
      return x && Number(x[1]) <= 15 ? Number(x[1]).toString(2) : null;
    }
    case "f": {
      const x = /^(\d)\/(\d)$/.exec(body);
      if (!x || Number(x[2]) === 0) return null;
      const [p, q] = [Number(x[1]), Number(x[2])];
      const g = gcd(p, q);
      return `${p / g}/${q / g}`;
    }
  }
  return null;
}

export function sampleTask(specialty: Specialty, rng: Rng): SwarmTask {
  let body: string;
  switch (specialty) {
    case "arith":
      body = `${rng.int(10)}+${rng.int(10)}`;
      break;
    case "logic": {
      const b = () => String(rng.int(2));
      const o = () => (rng.int(2) === 0 ? "&" : "|");
      body = `${b()}${o()}${b()}${o()}${b()}`;
      break;
    }
    case "calendar":
      body = `${rng.int(7)}+${rng.int(21)}`;
      break;
    case "base":
      body = String(rng.int(16));
      break;
    case "fraction": {
      const q = 2 + rng.int(8);
      body = `${1 + rng.int(q - 1)}/${q}`;
      break;
    }
  }
  const prompt = `${TAG[specialty]}${body}=`;
  return { specialty, prompt, answer: solve(prompt)! };
}

export function encodeText(text: string): number[] {
  return [...text].map((ch) => {
    const t = SWARM_ALPHABET.indexOf(ch);
    if (t < 0) throw new ConfigError(`rlswarm: character ${JSON.stringify(ch)} is not in the alphabet "${SWARM_ALPHABET}"`);
    return t;
  });
}

export function decodeTokens(tokens: ArrayLike<number>): string {
  return Array.from(tokens, (t) => SWARM_ALPHABET[t] ?? "?").join("");
}

/** The answer a completion gives: its text up to the first end mark, or null without one. */
export function extractAnswer(completion: string): string | null {
  const end = completion.indexOf(".");
  return end >= 0 ? completion.slice(0, end) : null;
}

/**
 * Reward of a completion against a gold answer: 1 exact; 0.5 for an equal but unreduced
 * fraction (partial credit); else 0.
 */
export function rewardAgainst(gold: string, completion: string): number {
  const got = extractAnswer(completion);
  if (got === null) return 0;
  if (got === gold) return 1;
  const g = /^(\d+)\/(\d+)$/.exec(gold);
  const c = /^(\d+)\/(\d+)$/.exec(got);
  if (g && c && Number(c[2]) !== 0 && Number(g[1]) * Number(c[2]) === Number(c[1]) * Number(g[2])) return 0.5;
  return 0;
}
