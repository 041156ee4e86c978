// The shape of one `gsim` subcommand; each lives in sim/commands/<name>.ts and exports `command`.
export interface Command {
  /** Subcommand name, e.g. "run". */
  name: string;
  /** One line for `gsim --help`. */
  summary: string;
  /** Full help text for `gsim <name> --help` (usage line, flags, exit codes). */
  help: string;
  /** Runs the subcommand; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** Exit codes shared by every subcommand. */
export const EXIT_OK = 0;
/** An assertion (check) failed, or a replay differed. */
export const EXIT_FAILED = 1;
/** The input was bad or the run could not run. */
export const EXIT_ERROR = 2;
