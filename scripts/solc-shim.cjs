// scripts/solc-shim.cjs: the solc-js bridge behind scripts/solc-shim (see there).
// solc shim for forge (STACK.md): no native solc is reachable offline, so forge calls this
// script instead. `--version` answers like native solc; anything else reads standard JSON on
// stdin, compiles it with solc-js from node_modules, and writes standard JSON to stdout.
"use strict";
const path = require("node:path");
const fs = require("node:fs");

const root = path.join(__dirname, "..");
const solc = require(require.resolve("solc", { paths: [root] }));
const args = process.argv.slice(2);

if (args.includes("--version") || args.includes("-v")) {
  // forge parses "Version: X.Y.Z+commit..." from the second line.
  const version = solc.version().replace(/\.Emscripten\.clang$/, ".Linux.g++");
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
  process.exit(0);
}

// Sources normally arrive inline (forge resolves imports itself); the callback is a fallback
// for a path that was left out, resolved against the working directory and --base-path.
const baseIdx = args.indexOf("--base-path");
const base = baseIdx >= 0 ? args[baseIdx + 1] : process.cwd();
function findImports(p) {
  for (const dir of [base, process.cwd(), root]) {
    const full = path.resolve(dir, p);
    if (fs.existsSync(full)) return { contents: fs.readFileSync(full, "utf8") };
  }
  return { error: `solc-shim: file not found: ${p}` };
}

const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const input = Buffer.concat(chunks).toString("utf8");
  process.stdout.write(solc.compile(input, { import: findImports }));
});
