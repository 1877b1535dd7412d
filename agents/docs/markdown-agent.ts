// docs/agents/<agent>-parameters.md from the agent definition: the same spec that `meta-data`
// and the man page print, so the reference in docs/ cannot drift from what the agent accepts.
// The page is checked in; test/agents/docs/markdown-agent.test.ts fails when it is stale.
import { advertisedActions, formatDefault, parameterEntries } from '../ocf/metadata';
import type { AnyAgentSpec, ParameterSpec } from '../ocf/spec';

/** The command that rewrites every generated page; named in the header and in the stale-page test. */
export const REGENERATE_COMMAND = 'npm run docs';

/** VirtualMachine -> virtual-machine: the file name of an agent's pages under docs/agents/. */
export function agentDocSlug(agentName: string): string {
  return agentName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

export function agentReferencePath(agentName: string): string {
  return `docs/agents/${agentDocSlug(agentName)}-parameters.md`;
}

export function renderAgentMarkdown(spec: AnyAgentSpec): string {
  const parameters = parameterEntries(spec);
  const lines: string[] = [
    `<!-- Generated from the agent definition by "${REGENERATE_COMMAND}". Do not edit: change the definition and regenerate. -->`,
    `# ocf:ocfkit:${spec.name} reference`,
    '',
    `${inline(spec.shortdesc.trim())}. Generated from the agent's definition, the same one that`,
    `\`ocfkit meta-data ${spec.name}\` and \`man ${'ocf_ocfkit_' + spec.name}\` print.`,
    '',
    ...paragraphs(spec.longdesc),
    '',
    '## Parameters',
    '',
  ];
  if (parameters.length === 0) lines.push('This agent takes no parameters.', '');
  else {
    lines.push('| parameter | type | default | summary |', '|---|---|---|---|');
    for (const [name, parameter] of parameters) {
      lines.push(
        `| [\`${name}\`](#${anchor(name)}) | ${parameter.type}${parameter.required ? ', required' : ''} | ${cellDefault(parameter)} | ${cell(parameter.shortdesc)} |`,
      );
    }
    lines.push('');
    for (const [name, parameter] of parameters) lines.push(...parameterSection(name, parameter));
  }

  lines.push('## Actions', '', 'Timeouts and intervals are the defaults the agent advertises in its meta-data.', '');
  lines.push('| action | timeout | interval | depth | role |', '|---|---|---|---|---|');
  for (const action of advertisedActions(spec)) {
    lines.push(
      `| \`${action.name}\` | ${action.timeout} s | ${action.interval !== undefined ? `${action.interval} s` : ''} | ${action.depth ?? ''} | ${action.role ?? ''} |`,
    );
  }
  lines.push('');

  if (spec.examples?.length) {
    lines.push('## Examples', '');
    for (const example of spec.examples) lines.push(`${inline(example.title.trim())}:`, '', '```sh', ...example.lines, '```', '');
  }
  return lines.join('\n');
}

function parameterSection(name: string, parameter: ParameterSpec): string[] {
  const facts: string[] = [parameter.type];
  if (parameter.required) facts.push('required');
  if (parameter.unique) facts.push('unique');
  if (parameter.default === '') facts.push('default empty');
  else if (parameter.default !== undefined) facts.push(`default \`${formatDefault(parameter.default)}\``);
  if (parameter.type === 'string' && parameter.allowed) facts.push(`one of ${parameter.allowed.map((value) => `\`${value}\``).join(', ')}`);
  if (parameter.type === 'integer' && (parameter.min !== undefined || parameter.max !== undefined)) {
    facts.push(`range ${parameter.min ?? '-inf'} to ${parameter.max ?? 'inf'}`);
  }
  return [`### ${name}`, '', `${inline(parameter.shortdesc.trim())} (${facts.join(', ')}).`, '', ...paragraphs(parameter.longdesc), ''];
}

function cellDefault(parameter: ParameterSpec): string {
  if (parameter.default === undefined) return '';
  if (parameter.default === '') return '(empty)';
  // inside a code span only the table's column separator needs escaping
  return `\`${formatDefault(parameter.default).replace(/\|/g, '\\|')}\``;
}

/** GitHub's heading anchor for a parameter name (lower case; letters, digits, "-" and "_" kept). */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/**
 * Prose from a definition as Markdown paragraphs: blank lines separate paragraphs, leading
 * whitespace is dropped (four spaces would start a code block), and characters Markdown would
 * read as markup or HTML are escaped.
 */
function paragraphs(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.trim().split('\n')) {
    const line = raw.trim();
    if (line === '') {
      if (out.length && out[out.length - 1] !== '') out.push('');
      continue;
    }
    // a line that starts like a list item, heading or quote would change the paragraph's meaning
    out.push(
      inline(line)
        .replace(/^([-+>#])(?=\s)/, '\\$1')
        .replace(/^(\d+)([.)])(?=\s)/, '$1\\$2'),
    );
  }
  return out;
}

function inline(text: string): string {
  return (
    text
      .replace(/\\/g, '\\\\')
      .replace(/([`*<>[\]|])/g, '\\$1')
      // an underscore inside a word (lease_dir) is never emphasis; escaping it would only clutter the source
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
  );
}

function cell(text: string): string {
  return inline(text.trim()).replace(/\n/g, ' ');
}
