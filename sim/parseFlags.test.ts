// parseFlags: flags parsed strictly; every parse error is one ConfigError line naming the flag.
import { describe, expect, test } from "bun:test";
import { ConfigError } from "../core/errors.ts";
import { parseFlags } from "./parseFlags.ts";

const OPTIONS = { seed: { type: "string" }, quiet: { type: "boolean" }, set: { type: "string", multiple: true } } as const;

function message(argv: string[]): string {
  try {
    parseFlags(argv, OPTIONS);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

describe("parseFlags", () => {
  test("values, repeated flags and positionals come back typed", () => {
    const r = parseFlags(["a.yaml", "--seed", "7", "--set", "x=1", "--set", "y=2", "--quiet"], OPTIONS);
    expect(r.positionals).toEqual(["a.yaml"]);
    expect(r.values).toEqual({ seed: "7", set: ["x=1", "y=2"], quiet: true });
  });
  test("an unknown flag is named, without parseArgs' advice about '--'", () => {
    expect(message(["a.yaml", "--bogus"])).toBe("unknown option '--bogus' (see --help)");
  });
  test("a value that starts with '-' names the flag and the value and says how to pass it", () => {
    expect(message(["--seed", "-1"])).toBe(`--seed: got "-1", which looks like an option; write --seed=-1 if it is the value (see --help)`);
    expect(parseFlags(["--seed=-1"], OPTIONS).values.seed).toBe("-1");
  });
  test("a missing value names the flag", () => {
    expect(message(["--seed"])).toBe("Option '--seed <value>' argument missing (see --help)");
  });
});
