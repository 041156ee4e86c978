// A run directory is written into DIR.partial-<pid>-<n> and renamed to DIR only when complete,
// so a failed run never leaves a half-written DIR (DESIGN: Runs). A run that must be kept even
// though it failed (e.g. anvil died mid-run) is committed with summary {"status":"incomplete"}.
// A process that exits mid-run (process.exit, e.g. from a Ctrl-C handler) removes its partials.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError } from "../../core/errors.ts";
import { markIncomplete } from "./markIncomplete.ts";

let counter = 0;
/** Partial directories still being written; removed if the process exits before they finish. */
const open = new Set<RunDirectory>();
let exitHook = false;

function removeOpenOnExit(): void {
  for (const d of open) rmSync(d.path, { recursive: true, force: true });
}

export class RunDirectory {
  /** Where the run ends up. */
  readonly finalPath: string;
  /** Where it is written meanwhile. */
  readonly path: string;
  private state: "open" | "committed" | "discarded" = "open";

  private constructor(finalPath: string, path: string) {
    this.finalPath = finalPath;
    this.path = path;
  }

  /** Refuses to replace anything but an empty directory or an earlier run directory. */
  static open(dir: string): RunDirectory {
    const finalPath = resolve(dir);
    checkReplaceable(finalPath);
    const path = join(dirname(finalPath), `${basename(finalPath)}.partial-${process.pid}-${counter++}`);
    try {
      mkdirSync(dirname(finalPath), { recursive: true });
      rmSync(path, { recursive: true, force: true });
      mkdirSync(path);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new ConfigError(`--out ${finalPath}: cannot create the run directory (${e.code ?? e.message})`, { cause: err });
    }
    const d = new RunDirectory(finalPath, path);
    open.add(d);
    if (!exitHook) {
      process.on("exit", removeOpenOnExit);
      exitHook = true;
    }
    return d;
  }

  file(name: string): string {
    return join(this.path, name);
  }

  /** Moves the finished run into place (replacing an earlier run there). */
  commit(): string {
    if (this.state !== "open") throw new ConfigError(`run directory ${this.finalPath} was already ${this.state}`);
    checkReplaceable(this.finalPath);
    rmSync(this.finalPath, { recursive: true, force: true });
    renameSync(this.path, this.finalPath);
    this.state = "committed";
    open.delete(this);
    return this.finalPath;
  }

  /** Keeps what was written, marked incomplete with the error, at the final path. */
  commitIncomplete(error: unknown): string {
    markIncomplete(this.path, error);
    return this.commit();
  }

  /** Removes the partial directory. Safe to call more than once. */
  discard(): void {
    if (this.state !== "open") return;
    rmSync(this.path, { recursive: true, force: true });
    this.state = "discarded";
    open.delete(this);
  }
}

function checkReplaceable(p: string): void {
  if (!existsSync(p)) return;
  if (!statSync(p).isDirectory()) throw new ConfigError(`--out ${p}: exists and is not a directory; refusing to replace it`);
  const entries = readdirSync(p);
  if (entries.length > 0 && !entries.includes("manifest.json") && !entries.includes("summary.json")) {
    throw new ConfigError(`--out ${p}: exists and is not a run directory (no manifest.json); refusing to replace it`);
  }
}
