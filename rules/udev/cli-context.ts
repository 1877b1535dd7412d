// What the udev CLI commands share: an executor that logs to stderr (debug with --verbose), the
// version for generated headers, line output, and the mapping of expected failures to one-line
// CLI errors.
import { version } from '../../package.json';
import type { Executor } from '../../agents/core/executor';
import { createExecaExecutor } from '../../agents/core/execa-executor';
import { createLogger } from '../../agents/core/log';
import { OcfError } from '../../agents/core/errors';
import { ConfigError } from '../config/errors';
import { UdevError, type Io } from './generate';

export interface UdevContext {
  exec: Executor;
  io: Io;
  version: string;
}

export async function createUdevContext(verbose: boolean): Promise<UdevContext> {
  const log = createLogger({ tag: 'ocfkit udev', debug: verbose, stderr: (line) => process.stderr.write(`${line}\n`) });
  return {
    exec: createExecaExecutor(log),
    io: { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
    version,
  };
}

export function asCliFailure(error: unknown): { message: string; code: number } | undefined {
  if (error instanceof ConfigError) return { message: error.message, code: 2 };
  if (error instanceof UdevError) return { message: error.message, code: error.exitCode };
  // CommandFailedError, NotInstalledError, DeadlineExceededError from the executor
  if (error instanceof OcfError) return { message: error.message, code: 1 };
  return undefined;
}
