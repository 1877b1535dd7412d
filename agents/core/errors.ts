// Typed failures. Handlers throw these (or return an OcfExit); only the runner turns them into an
// exit code and an exit reason, so the failure mapping lives in one place.
import { OcfExit } from './exit-codes';

export class OcfError extends Error {
  constructor(
    readonly code: OcfExit,
    reason: string,
  ) {
    super(reason);
    this.name = new.target.name;
  }
}

/** A parameter is missing, malformed or inconsistent: OCF_ERR_CONFIGURED bans the resource everywhere. */
export class ConfigurationError extends OcfError {
  constructor(
    reason: string,
    readonly parameter?: string,
  ) {
    super(OcfExit.ERR_CONFIGURED, reason);
  }
}

/** A program or file the agent needs is not on this node: OCF_ERR_INSTALLED. */
export class NotInstalledError extends OcfError {
  constructor(
    reason: string,
    readonly what?: string,
  ) {
    super(OcfExit.ERR_INSTALLED, reason);
  }
}

export class GenericError extends OcfError {
  constructor(reason: string) {
    super(OcfExit.ERR_GENERIC, reason);
  }
}

/**
 * A request this host cannot carry out as asked (an install that would overwrite a foreign file,
 * an unreadable record): domain code throws it, the command line prints the one line and exits 1.
 */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedError';
  }
}

/** Raised when an action would run past the deadline Pacemaker gave it (CRM_meta_timeout). */
export class DeadlineExceededError extends OcfError {
  constructor(reason: string) {
    super(OcfExit.ERR_GENERIC, reason);
  }
}

/**
 * A failed system call (a state or lease file that cannot be written: ENOTDIR, ENAMETOOLONG,
 * EACCES, ENOSPC...). Node's message already names the call and the path; the code is what the
 * runner's failure mapping needs: no permission is ERR_PERM, anything else ERR_GENERIC.
 */
export class SystemCallError extends OcfError {
  constructor(
    reason: string,
    readonly errno: string,
  ) {
    super(errno === 'EACCES' || errno === 'EPERM' ? OcfExit.ERR_PERM : OcfExit.ERR_GENERIC, reason);
  }
}

/** Node's errors from fs, net and child_process carry an errno name in `code`. */
export function asSystemCallError(error: unknown): SystemCallError | undefined {
  if (error instanceof SystemCallError) return error;
  if (!(error instanceof Error) || error instanceof OcfError) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  return new SystemCallError(describeError(error), code);
}

/** Longest exit reason or error line printed: a 4 KiB path in an ENAMETOOLONG stays readable. */
const MAX_LINE = 600;

/** One line for the exit reason of anything thrown, never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message || error.name);
  return oneLine(String(error));
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, '; ').trim();
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 20)}... (${line.length} characters)` : line;
}
