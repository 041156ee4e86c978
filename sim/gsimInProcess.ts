// Test helper: runs `gsim ARGS` in this process (sim/cli.ts main) and captures what it prints.
import { main } from "./cli.ts";

export interface GsimResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `gsim ...args`, capturing console.log (out) and console.error (err), one entry a line. */
export async function gsimInProcess(...args: string[]): Promise<GsimResult> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    return { code: await main(args), out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}
