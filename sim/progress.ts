// A progress bar on stderr, shown only on a terminal, only after the work has taken ~1 s, and
// never with --quiet (STYLE: long work shows a bar only on a TTY). Reusable by any command.

export interface ProgressOptions {
  label: string;
  /** Units of work in all (e.g. simulated microseconds, sweep points). */
  total: number;
  quiet?: boolean;
  /** Defaults to process.stderr. */
  stream?: { isTTY?: boolean; columns?: number; write(s: string): unknown };
  /** Show only after this many ms of wall time (default 1000). */
  delayMs?: number;
  /** Formats the done/total counts (default "done/total"). */
  format?: (done: number, total: number) => string;
}

export class Progress {
  private readonly o: ProgressOptions;
  private readonly stream: NonNullable<ProgressOptions["stream"]>;
  private readonly enabled: boolean;
  private readonly started = performance.now();
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(o: ProgressOptions) {
    this.o = o;
    this.stream = o.stream ?? process.stderr;
    this.enabled = !o.quiet && this.stream.isTTY === true && o.total > 0;
  }

  /** Reports progress; redraws at most 10 times a second. */
  update(done: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.started < (this.o.delayMs ?? 1000) || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = Math.min(1, Math.max(0, done / this.o.total));
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - this.o.label.length - 40));
    const fill = Math.round(frac * width);
    const counts = this.o.format ? this.o.format(done, this.o.total) : `${done}/${this.o.total}`;
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0 ? (elapsed * (1 - frac)) / frac : NaN;
    const line = `${this.o.label} [${"#".repeat(fill)}${"-".repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${counts} ${elapsed.toFixed(0)}s${Number.isFinite(eta) ? ` eta ${eta.toFixed(0)}s` : ""}`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** Clears the bar (if one was drawn). */
  finish(): void {
    if (this.drawn) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }
}
