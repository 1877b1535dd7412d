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

export class PermissionError extends OcfError {
  constructor(reason: string) {
    super(OcfExit.ERR_PERM, reason);
  }
}

export class GenericError extends OcfError {
  constructor(reason: string) {
    super(OcfExit.ERR_GENERIC, reason);
  }
}

/** Raised when an action would run past the deadline Pacemaker gave it (CRM_meta_timeout). */
export class DeadlineExceededError extends OcfError {
  constructor(reason: string) {
    super(OcfExit.ERR_GENERIC, reason);
  }
}

/** One line for the exit reason of anything thrown, never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message || error.name);
  return oneLine(String(error));
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ').trim();
}
