// Command-line flags for every gsim command: node:util parseArgs (strict), its errors turned into
// one short ConfigError line (exit 2) that names the flag and the value (STYLE: errors carry the value).
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { ConfigError } from "../core/errors.ts";

/** Parses argv against `options`; an unknown flag, a missing value or an ambiguous one is a ConfigError. */
export function parseFlags<const O extends ParseArgsOptionsConfig>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new ConfigError(`${flagMessage(err as Error & { code?: string }, argv)} (see --help)`);
  }
}

function flagMessage(err: Error & { code?: string }, argv: string[]): string {
  const first = err.message.split("\n")[0];
  const unknown = /^Unknown option '([^']+)'/.exec(first);
  if (unknown) return `unknown option '${unknown[1]}'`;
  // "--seed -1": parseArgs will not take a value that starts with '-' unless written --seed=-1.
  const ambiguous = /^Option '(--[^' ]+)[^']*' argument is ambiguous/.exec(first);
  if (ambiguous) {
    const i = argv.indexOf(ambiguous[1]);
    const value = i >= 0 && i + 1 < argv.length ? argv[i + 1] : "";
    return `${ambiguous[1]}: got ${JSON.stringify(value)}, which looks like an option; write ${ambiguous[1]}=${value} if it is the value`;
  }
  return first;
}
