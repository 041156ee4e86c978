#!/usr/bin/env bun
// gsim: the command-line entry. Subcommands are discovered from sim/commands/*.ts (each exports
// `command`), so adding one never edits this file.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { GsimError } from "../core/errors.ts";
import { EXIT_ERROR, type Command } from "./command.ts";

const commandsDir = join(import.meta.dir, "commands");

async function loadCommands(): Promise<Map<string, Command>> {
  const files = readdirSync(commandsDir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .sort();
  const map = new Map<string, Command>();
  for (const f of files) {
    const mod = await import(join(commandsDir, f));
    const cmd = mod.command as Command | undefined;
    if (cmd) map.set(cmd.name, cmd);
  }
  return map;
}

function topHelp(commands: Map<string, Command>): string {
  const width = Math.max(...[...commands.keys()].map((k) => k.length), 4);
  const lines = [...commands.values()].map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "gsim: deterministic simulator of the Gensyn protocol",
    "",
    "usage: gsim <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "Run `gsim <command> --help` for a command's options.",
  ].join("\n");
}

/** Prints an error the way users should see it: message, details, never a stack (unless GSIM_DEBUG). */
export function reportError(prefix: string, err: unknown): void {
  if (err instanceof GsimError) {
    console.error(`${prefix}: ${err.message}`);
    if (err.details) console.error(err.details);
  } else {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`${prefix}: internal error: ${msg}`);
  }
  if (process.env.GSIM_DEBUG && err instanceof Error && err.stack) console.error(err.stack);
}

export async function main(argv: string[]): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(topHelp(commands));
    return name === undefined ? EXIT_ERROR : 0;
  }
  if (name === "--version") {
    const pkg = await import("../package.json");
    console.log(pkg.version);
    return 0;
  }
  const cmd = commands.get(name);
  if (!cmd) {
    console.error(`gsim: unknown command '${name}'. Commands: ${[...commands.keys()].join(", ")}`);
    return EXIT_ERROR;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(cmd.help);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    reportError(`gsim ${name}`, err);
    return EXIT_ERROR;
  }
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exit(code);
}
