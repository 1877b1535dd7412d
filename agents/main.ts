// Entry point of the one executable. Invoked under an agent's name (a symlink in
// $OCF_ROOT/resource.d/ocfkit/) it is that OCF agent; otherwise it is the ocfkit CLI.
import path from 'node:path';
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Nothing should reach here; if it does, one readable line and a generic error.
    process.stderr.write(`ocfkit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
