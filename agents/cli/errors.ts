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

/** Longest message printed: a 4 KiB path in an error stays one readable line. */
const MAX_MESSAGE = 600;

/** Writes a failure as the one line "ocfkit: message" (multi-line messages are joined, long ones cut). */
export function printCliError(message: string): void {
  const line = message.split('\n').map((part) => part.trim()).filter(Boolean).join(' ');
  process.stderr.write(`ocfkit: ${line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 20)}... (${line.length} characters)` : line}\n`);
}
