// Arithmetic tasks with verifiable answers (DESIGN: Learning; REFERENCE §7: RL Swarm rewards
// come from checking an answer against the task's ground truth). Character-level tokens.
import type { Rng } from "../../des/rng.ts";
import { ConfigError } from "../../errors.ts";

/** Token alphabet: digits, operators, "=", end of answer ("."), padding ("_"). */
export const ARITHMETIC_ALPHABET = "0123456789+-*=._";
export const ARITHMETIC_VOCAB = ARITHMETIC_ALPHABET.length;
export const EOS = ARITHMETIC_ALPHABET.indexOf(".");
export const PAD = ARITHMETIC_ALPHABET.indexOf("_");

export type ArithmeticOp = "+" | "-" | "*";

export interface ArithmeticConfig {
  /** Operands are integers in [0, maxOperand]. */
  maxOperand: number;
  ops: readonly ArithmeticOp[];
}

export interface ArithmeticTask {
  /** e.g. "12+7=" */
  prompt: string;
  /** The exact integer answer. */
  answer: number;
  /** prompt + answer + ".", e.g. "12+7=19." */
  text: string;
}

export function encode(text: string): number[] {
  return [...text].map((ch) => {
    const t = ARITHMETIC_ALPHABET.indexOf(ch);
    if (t < 0) throw new ConfigError(`arithmetic: character ${JSON.stringify(ch)} is not in the alphabet "${ARITHMETIC_ALPHABET}"`);
    return t;
  });
}

export function decode(tokens: ArrayLike<number>): string {
  return Array.from(tokens, (t) => ARITHMETIC_ALPHABET[t] ?? "?").join("");
}

export function sampleArithmeticTask(cfg: ArithmeticConfig, rng: Rng): ArithmeticTask {
  if (!(Number.isSafeInteger(cfg.maxOperand) && cfg.maxOperand >= 1 && cfg.ops.length > 0)) {
    throw new ConfigError(`arithmetic: bad config ${JSON.stringify(cfg)}`);
  }
  const a = rng.int(cfg.maxOperand + 1);
  const b = rng.int(cfg.maxOperand + 1);
  const op = cfg.ops[rng.int(cfg.ops.length)];
  const answer = op === "+" ? a + b : op === "-" ? a - b : a * b;
  const prompt = `${a}${op}${b}=`;
  return { prompt, answer, text: `${prompt}${answer}.` };
}

/**
 * Verifiable reward: 1 when the completion (tokens after the prompt, up to the first ".")
 * spells exactly the answer, else 0.
 */
export function rewardOf(task: ArithmeticTask, completion: ArrayLike<number>): 0 | 1 {
  const text = decode(completion);
  const end = text.indexOf(".");
  return end >= 0 && text.slice(0, end) === String(task.answer) ? 1 : 0;
}

/**
 * n tasks as fixed-length next-token windows (padded with "_"), for supervised LM training.
 * `weights` is 1 where the target is part of the answer (after "=", end mark included), else 0.
 */
export function arithmeticWindows(cfg: ArithmeticConfig, n: number, context: number, rng: Rng): { tasks: ArithmeticTask[]; tokens: Float32Array; targets: Float32Array; weights: Float32Array } {
  const tokens = new Float32Array(n * context).fill(PAD);
  const targets = new Float32Array(n * context).fill(PAD);
  const weights = new Float32Array(n * context);
  const eq = ARITHMETIC_ALPHABET.indexOf("=");
  const tasks: ArithmeticTask[] = [];
  for (let i = 0; i < n; i++) {
    const task = sampleArithmeticTask(cfg, rng);
    const ids = encode(task.text);
    if (ids.length > context + 1) throw new ConfigError(`arithmetic: "${task.text}" needs context >= ${ids.length - 1}, got ${context}`);
    const answerFrom = ids.indexOf(eq);
    for (let p = 0; p + 1 < ids.length; p++) {
      tokens[i * context + p] = ids[p];
      targets[i * context + p] = ids[p + 1];
      if (p >= answerFrom) weights[i * context + p] = 1;
    }
    tasks.push(task);
  }
  return { tasks, tokens, targets, weights };
}
