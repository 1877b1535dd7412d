// Runs an agent as this process: real environment, real stdout/stderr, the execa executor.
// The single exit door for agent invocations.
import type { AnyAgentSpec } from './spec';
import { runAgent } from './runner';

export async function runAgentProcess(spec: AnyAgentSpec, args: readonly string[]): Promise<number> {
  const result = await runAgent(spec, args, {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    executor: async (log, deadline) => (await import('../core/execa-executor')).createExecaExecutor(log, deadline),
  });
  result.log.flush();
  return result.code;
}
