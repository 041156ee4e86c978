#!/usr/bin/env node
// `gsim` launcher: runs sim/cli.ts under the Bun binary installed from npm (package "bun").
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const candidates = [
  join(root, "node_modules", ".bin", "bun"),
  join(root, "node_modules", "bun", "bin", "bun.exe"),
  join(root, "node_modules", "@oven", "bun-linux-x64", "bin", "bun"),
];
const bun = candidates.find((p) => existsSync(p));
if (!bun) {
  console.error("gsim: the Bun binary was not found in node_modules; run `npm install` first.");
  process.exit(2);
}
const child = spawn(bun, [join(root, "sim", "cli.ts"), ...process.argv.slice(2)], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
