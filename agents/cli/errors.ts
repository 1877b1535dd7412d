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

/** Writes a failure as the one line "ocfkit: message" (multi-line messages are joined). */
export function printCliError(message: string): void {
  process.stderr.write(`ocfkit: ${message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ')}\n`);
}
