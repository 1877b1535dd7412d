// Entry point of the one executable. Invoked under an agent's name (a symlink in
// $OCF_ROOT/resource.d/ocfkit/) it is that OCF agent; otherwise it is the ocfkit CLI.
import path from 'node:path';
import { killAllGroups } from './core/process-groups';
import { isAgentName, loadAgent } from './registry';

async function main(): Promise<number> {
  const invokedAs = path.basename(process.argv[1] ?? '');
  if (isAgentName(invokedAs)) {
    const [{ runAgentProcess }, spec] = await Promise.all([import('./ocf/process'), loadAgent(invokedAs)]);
    return runAgentProcess(spec, process.argv.slice(2));
  }
  const argv = process.argv.slice(2);
  const fast = await (await import('./cli/fast-path')).runFastPath(argv);
  if (fast !== undefined) return fast;
  const { runCli } = await import('./cli/cli');
  return runCli(argv);
}

/** Nothing should get here; if it does, one readable line and a generic error (OCF's and the CLI's 1). */
function die(error: unknown): never {
  const message = error instanceof Error ? error.message || error.name : String(error);
  process.stderr.write(
    `ocfkit: ${message
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join('; ')}\n`,
  );
  process.exit(1);
}

// Children lead their own process groups (exec/process-groups.ts), so a signal that ends ocfkit
// (Ctrl-C, a SIGTERM) does not reach them: take their groups along, then die of the signal as before.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllGroups('SIGKILL');
    process.kill(process.pid, signal);
  });
}
// A promise rejected outside any await, or an exception in a callback, would print a stack trace.
process.on('unhandledRejection', die);
process.on('uncaughtException', die);

main().then((code) => process.exit(code), die);
