// How a failure reaches the command line: one line "ocfkit: message" and an exit code. Domain code
// throws its own errors (ConfigError, RefusedError and its kinds such as UdevError); cliFailure is the one place
// that maps them to exit codes. CliError is for the CLI's own glue (an option that makes no sense).
import { RefusedError } from '../../core/errors';
import { ConfigError } from '../../../rules/config/errors';

/** A CLI failure: printed as one line "ocfkit: message" with this exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The exit code and message of an expected failure; undefined for anything else (the caller
 * decides: the full CLI prints it and exits 1, the fast path lets it reach the entry point).
 */
export function cliFailure(error: unknown): { message: string; exitCode: number } | undefined {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  // a config error is a usage error: the file the caller named is wrong
  if (error instanceof ConfigError) return { message: error.message, exitCode: 2 };
  if (error instanceof RefusedError) return { message: error.message, exitCode: 1 };
  return undefined;
}

/** Longest message printed: a 4 KiB path in an error stays one readable line. */
const MAX_MESSAGE = 600;

/** Writes a failure as the one line "ocfkit: message" (multi-line messages are joined, long ones cut). */
export function printCliError(message: string): void {
  const line = message
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
  process.stderr.write(`ocfkit: ${line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 20)}... (${line.length} characters)` : line}\n`);
}
