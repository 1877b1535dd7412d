import { agentNames, isAgentName, loadAgent } from '../../registry';
import type { AnyAgentSpec } from '../../ocf/spec';
import { CliError } from './errors';

/** Resolves an agent named on the command line, accepting ocf:ocfkit:Name too. */
export async function agentFromArgument(text: string): Promise<AnyAgentSpec> {
  const name = text.replace(/^ocf:ocfkit:/, '');
  if (!isAgentName(name)) throw new CliError(`unknown agent "${text}"; known agents: ${agentNames().join(', ') || '(none)'}`);
  return loadAgent(name);
}
