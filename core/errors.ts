// One error family for the whole project (STYLE: viem's BaseError): short message, details, cause.

export interface GsimErrorOptions {
  /** Extra lines shown under the message (what was expected, what to try). */
  details?: string;
  cause?: unknown;
}

export class GsimError extends Error {
  override name = "GsimError";
  readonly details?: string;
  constructor(message: string, options: GsimErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
  }
}

/** Misuse of the event kernel: negative delay, re-triggered event, unhandled failure. */
export class KernelError extends GsimError {
  override name = "KernelError";
}

/** A simulation input (scenario value, parameter) that cannot be used. */
export class ConfigError extends GsimError {
  override name = "ConfigError";
}

/** A protocol rule was broken (e.g. ledger invariant, malformed message). */
export class ProtocolError extends GsimError {
  override name = "ProtocolError";
}
