// The logic behind `ocfkit drbd ...` (imported lazily by agents/cli/commands/drbd.ts): builds the
// executor and settings, runs status/reconnect/split-brain-handler, prints, returns the exit code.
import { createExecaExecutor } from '../../core/execa-executor';
import type { Executor } from '../../core/executor';
import { createLogger, logSettingsFromEnv, type Logger } from '../../core/log';
import { NotInstalledError } from '../../core/errors';
import { CliError } from './errors';
import { reconnectText, statusJson, statusText } from './drbd-format';
import { reconnect } from '../../drbd/reconnect';
import { drbdSettings, type DrbdSettings } from '../../drbd/settings';
import { HandlerInputError, runSplitBrainHandler } from '../../drbd/split-brain-handler';
import { readDrbd, type DrbdSnapshot } from '../../drbd/reader';
import { scan, type ScannedConnection } from '../../drbd/scan';
import { StateDir } from '../../drbd/state-dir';

/** Exit codes of `ocfkit drbd reconnect`: 0 all connected or reconnecting, 1 not all, 3 could not read DRBD. */
const EXIT_NOT_ALL_UP = 1;
const EXIT_CANNOT_READ = 3;

interface Common {
  stateDir?: string | undefined;
  out?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  exec?: Executor;
}

function setup(options: Common): { settings: DrbdSettings; log: Logger; exec: Executor; out: (text: string) => void } {
  const env = options.env ?? process.env;
  const log = createLogger({ ...logSettingsFromEnv(env, 'ocfkit-drbd', (line) => process.stderr.write(line + '\n')), tag: 'ocfkit-drbd' });
  const quiet: Logger = { ...log, info: () => undefined, debug: env.OCFKIT_DEBUG ? log.debug : () => undefined };
  return {
    settings: drbdSettings(env, { stateDir: options.stateDir }),
    log: quiet,
    exec: options.exec ?? createExecaExecutor(quiet),
    out: options.out ?? ((text) => process.stdout.write(text)),
  };
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotInstalledError) throw new CliError(`${error.message}: DRBD's userland (drbd-utils) is needed`, EXIT_CANNOT_READ);
    if (error instanceof HandlerInputError) throw new CliError(error.message, 2);
    throw error;
  }
}

export async function statusCommand(options: Common & { json: boolean }): Promise<number> {
  const { settings, exec, out } = setup(options);
  return guarded(async () => {
    const { snapshot, scanned } = await drbdStatus(exec, settings);
    out(
      options.json
        ? JSON.stringify(statusJson(snapshot.model, scanned, snapshot.warnings), null, 2) + '\n'
        : statusText(snapshot.model, scanned, snapshot.warnings),
    );
    return 0;
  });
}

export async function reconnectCommand(
  options: Common & { iface?: string | undefined; resource?: string[] | undefined; dryRun: boolean; json: boolean },
): Promise<number> {
  const { settings, exec, out, log } = setup(options);
  return guarded(async () => {
    const report = await reconnect(exec, settings, log, {
      iface: options.iface,
      resources: options.resource,
      dryRun: options.dryRun,
      settleMs: 300,
      waitConnectedMs: 5000,
    });
    if (options.json) {
      out(JSON.stringify({ allUp: report.allUp, connections: report.connections, retune: report.retune ?? null, warnings: report.warnings }, null, 2) + '\n');
    } else {
      out(reconnectText(report, options.dryRun));
    }
    log.flush();
    return report.allUp ? 0 : EXIT_NOT_ALL_UP;
  });
}

export async function splitBrainHandlerCommand(
  options: Common & { resource?: string | undefined; peer?: string | undefined; chain: string[] },
): Promise<number> {
  const { settings, exec, log } = setup(options);
  return guarded(async () => {
    const result = await runSplitBrainHandler(exec, settings.stateDir, options.env ?? process.env, log, {
      resource: options.resource,
      peer: options.peer,
      chain: options.chain,
    });
    log.flush();
    return result.exitCode;
  });
}

// `ocfkit drbd status` reads records, never writes them: looking must not change what a later
// reconnect decides.
async function drbdStatus(exec: Executor, settings: DrbdSettings, now = Date.now()): Promise<{ snapshot: DrbdSnapshot; scanned: ScannedConnection[] }> {
  const snapshot = await readDrbd(exec, settings, { kernelLog: true });
  const state = new StateDir(settings.stateDir);
  return { snapshot, scanned: scan(snapshot, state.readRecords(), state.readMarkers(), now) };
}
