#!/usr/bin/env node
// Runs every test suite (bun test, and forge test when contracts exist) and prints one closing
// line `N passed, N failed` summed from the real runs. Exit code non-zero on any failure.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const args = process.argv.slice(2);
const suites = [];

// Streams the child's output through (so CI logs show progress) while keeping a copy to parse.
function run(label, cmd, cmdArgs, env = {}) {
  process.stdout.write(`\n=== ${label}: ${[cmd, ...cmdArgs].join(" ")}\n`);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const keep = (chunk, sink) => {
      const text = chunk.toString("utf8");
      out += text;
      sink.write(text);
    };
    child.stdout.on("data", (c) => keep(c, process.stdout));
    child.stderr.on("data", (c) => keep(c, process.stderr));
    child.on("error", (error) => resolve({ status: 1, out: out + String(error), error }));
    child.on("close", (code) => resolve({ status: code ?? 1, out }));
  });
}

// bun test: closing lines " N pass" / " N fail".
{
  const r = await run("bun", bin("bun"), ["test", "--timeout", "60000", ...args]);
  const pass = Number(/^\s*(\d+) pass$/m.exec(r.out)?.[1] ?? NaN);
  const fail = Number(/^\s*(\d+) fail$/m.exec(r.out)?.[1] ?? NaN);
  if (Number.isNaN(pass) || Number.isNaN(fail)) suites.push({ label: "bun", passed: 0, failed: 1, note: "no summary line" });
  else suites.push({ label: "bun", passed: pass, failed: fail + (r.status !== 0 && fail === 0 ? 1 : 0) });
}

// forge test: "N tests passed, N failed, N skipped (N total tests)".
const hasContracts = existsSync(join(root, "foundry.toml")) &&
  existsSync(join(root, "contracts", "test")) && readdirSync(join(root, "contracts", "test")).some((f) => f.endsWith(".t.sol"));
if (hasContracts && args.length === 0) {
  const r = await run("forge", bin("forge"), ["test", "--offline"]);
  let passed = 0, failed = 0, seen = false;
  for (const m of r.out.matchAll(/(\d+) tests passed, (\d+) failed, (\d+) skipped/g)) {
    passed = Number(m[1]); failed = Number(m[2]); seen = true;
  }
  if (!seen) failed = 1;
  else if (r.status !== 0 && failed === 0) failed = 1;
  suites.push({ label: "forge", passed, failed });
}

const passed = suites.reduce((a, s) => a + s.passed, 0);
const failed = suites.reduce((a, s) => a + s.failed, 0);
for (const s of suites) console.log(`${s.label}: ${s.passed} passed, ${s.failed} failed${s.note ? ` (${s.note})` : ""}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
