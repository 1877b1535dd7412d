// What the udev CLI commands share: an executor that logs to stderr (debug with --verbose), the
// version for generated headers, and line output.
import { version } from '../../../package.json';
import type { Executor } from '../../core/executor';
import { createExecaExecutor } from '../../core/execa-executor';
import { createLogger } from '../../core/log';
import type { LineOutput } from '../../../rules/udev/generate';

export interface UdevContext {
  exec: Executor;
  io: LineOutput;
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
