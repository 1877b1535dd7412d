// ocf_ocfkit_<Agent>(7) from the agent definition: the same spec that `meta-data` prints, so
// the page and the meta-data can never disagree (no text is written twice).
import { advertisedActions, formatDefault, parameterEntries } from '../ocf/metadata';
import type { AnyAgentSpec, ParameterSpec } from '../ocf/spec';
import { bold, escapeInline, escapeLiteral, italic, literalBlock, macroArgument, page, prose, safeLine } from './roff';

export interface PageContext {
  /** ocfkit's version, shown in the page footer */
  version: string;
  /** the page date, YYYY-MM-DD (from the release, for reproducible pages) */
  date: string;
  /** where the agent symlinks live: OCF_ROOT */
  ocfRoot: string;
}

export function agentPageName(agentName: string): string {
  return `ocf_ocfkit_${agentName}`;
}

export function renderAgentManPage(spec: AnyAgentSpec, context: PageContext): string {
  const name = agentPageName(spec.name);
  const actions = advertisedActions(spec);
  const actionNames = [...new Set(actions.map((action) => action.name))];
  const lines: string[] = [
    `.TH ${macroArgument(escapeLiteral(name.toUpperCase()))} 7 ${macroArgument(context.date)} ${macroArgument(`ocfkit ${escapeLiteral(context.version)}`)} "OCF resource agents"`,
    '.SH NAME',
    `${escapeLiteral(name)} \\- ${escapeInline(spec.shortdesc.trim())}`,
    '.SH SYNOPSIS',
    // left-aligned: a justified action list spreads into wide gaps
    '.ad l',
    `[${bold('OCF_RESKEY_')}${italic('parameter')}${bold('=')}${italic('value')}\\~...]`,
    '.br',
    // \% keeps groff from hyphenating the path
    `${bold(`\\%${escapeLiteral(`${context.ocfRoot}/resource.d/ocfkit/${spec.name}`)}`)}`,
    `{${actionNames.map((action) => `\\%${escapeLiteral(action)}`).join(' | ')}}`,
    '.ad b',
    '.SH DESCRIPTION',
    ...prose(spec.longdesc),
    '.PP',
    `Resource class and type: ${bold(escapeLiteral(`ocf:ocfkit:${spec.name}`))}, agent version ${escapeLiteral(spec.version)}.`,
  ];

  const parameters = parameterEntries(spec);
  lines.push('.SH PARAMETERS');
  if (parameters.length === 0) lines.push('This agent takes no parameters.');
  for (const [parameterName, parameter] of parameters) lines.push(...parameterItem(parameterName, parameter));

  lines.push('.SH ACTIONS');
  lines.push('Timeouts and intervals are the defaults the agent advertises in its meta-data.');
  for (const action of actions) {
    const facts = [`timeout ${action.timeout} s`];
    if (action.interval !== undefined) facts.push(`interval ${action.interval} s`);
    if (action.depth !== undefined) facts.push(`depth ${action.depth}`);
    if (action.role !== undefined) facts.push(`role ${action.role}`);
    lines.push('.TP', bold(escapeLiteral(action.name)), facts.join(', '));
  }

  if (spec.examples?.length) {
    lines.push('.SH EXAMPLES');
    for (const example of spec.examples) {
      lines.push('.PP', safeLine(escapeInline(example.title.trim())), ...literalBlock(example.lines));
    }
  }

  lines.push('.SH SEE ALSO', `${bold('ocfkit')}(8), ${bold('crm_resource')}(8)`);
  return page(lines);
}

function parameterItem(name: string, parameter: ParameterSpec): string[] {
  const facts: string[] = [parameter.type];
  if (parameter.required) facts.push('required');
  if (parameter.unique) facts.push('unique');
  if (parameter.default === '') facts.push('default empty');
  else if (parameter.default !== undefined) facts.push(`default ${bold(escapeLiteral(formatDefault(parameter.default)))}`);
  const lines = ['.TP', `${bold(escapeLiteral(name))} (${facts.join(', ')})`, ...prose(parameter.shortdesc, '.br')];
  if (parameter.type === 'string' && parameter.allowed) {
    lines.push('.br', `Allowed values: ${parameter.allowed.map((value) => bold(escapeLiteral(value))).join(', ')}.`);
  }
  if (parameter.type === 'integer' && (parameter.min !== undefined || parameter.max !== undefined)) {
    lines.push('.br', `Range: ${escapeLiteral(String(parameter.min ?? '-inf'))} to ${escapeLiteral(String(parameter.max ?? 'inf'))}.`);
  }
  lines.push('.IP', ...prose(parameter.longdesc, '.IP'));
  return lines;
}
