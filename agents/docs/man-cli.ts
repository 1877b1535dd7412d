// ocfkit(8) from the CLI's command modules (see cli-definitions.ts) and the agent registry.
import type { CliCommand, CliOption } from './cli-definitions';
import { agentPageName, type PageContext } from './man-agent';
import { bold, escapeInline, escapeLiteral, italic, macroArgument, page, prose } from './roff';

export interface CliPageInput {
  summary: string;
  commands: CliCommand[];
  agents: Array<{ name: string; shortdesc: string }>;
  /** files the page lists under FILES: path and what it is */
  files: Array<{ path: string; what: string }>;
}

export function renderCliManPage(input: CliPageInput, context: PageContext): string {
  const lines: string[] = [
    `.TH OCFKIT 8 ${macroArgument(context.date)} ${macroArgument(`ocfkit ${escapeLiteral(context.version)}`)} "System Administration"`,
    '.SH NAME',
    `ocfkit \\- ${escapeInline(lowerFirst(input.summary.trim().replace(/\.$/, '')))}`,
    '.SH SYNOPSIS',
    `${bold('ocfkit')} ${italic('command')} [${italic('options')}]`,
    '.br',
    `${bold(`\\%${escapeLiteral(`${context.ocfRoot}/resource.d/ocfkit/`)}`)}${italic('Agent')} ${italic('action')}`,
    '.SH DESCRIPTION',
    ...prose(input.summary),
    '.PP',
    `One executable is both this command and the OCF resource agents: invoked through a symbolic link in ${escapeLiteral(`${context.ocfRoot}/resource.d/ocfkit/`)} named after an agent, it is that agent (see ${bold('AGENTS')}); invoked as ${bold('ocfkit')}, it runs one of the commands below.`,
    '.SH COMMANDS',
  ];
  for (const command of input.commands) lines.push(...commandSection(command, []));

  lines.push(
    '.SH GLOBAL OPTIONS',
    '.TP',
    `${bold('\\-h')}, ${bold('\\-\\-help')}`,
    'Print the usage of ocfkit or of one command, and exit.',
    '.TP',
    bold('\\-\\-version'),
    "Print ocfkit's version, and exit.",
  );

  lines.push('.SH AGENTS');
  if (input.agents.length === 0) lines.push('This build contains no agents.');
  for (const agent of input.agents) {
    lines.push(
      '.TP',
      bold(escapeLiteral(`ocf:ocfkit:${agent.name}`)),
      `${escapeInline(agent.shortdesc.trim())}; see ${bold(escapeLiteral(agentPageName(agent.name)))}(7).`,
    );
  }

  if (input.files.length) {
    lines.push('.SH FILES');
    for (const file of input.files) lines.push('.TP', italic(escapeLiteral(file.path)), ...prose(file.what, '.br'));
  }

  const seeAlso = [...input.agents.map((agent) => `${bold(escapeLiteral(agentPageName(agent.name)))}(7)`), `${bold('crm_resource')}(8)`];
  lines.push('.SH SEE ALSO', seeAlso.join(', '));
  return page(lines);
}

function commandSection(command: CliCommand, parents: string[]): string[] {
  const words = [...parents, command.command];
  const lines = ['.SS ' + macroArgument(`ocfkit ${synopsis(words.join(' '))}`), ...prose(command.describe)];
  for (const positional of command.positionals) {
    lines.push('.TP', italic(escapeLiteral(positional.name)), ...optionText(positional));
  }
  for (const option of command.options) {
    const names = [option.name, ...option.aliases].map((name) => bold(escapeLiteral(name.length === 1 ? `-${name}` : `--${name}`)));
    const placeholder = option.type === 'boolean' ? '' : ` ${italic(escapeLiteral(option.type ?? 'value'))}`;
    // "--x value ..." is the man page way of saying the option may be given several times
    const value = option.array ? `${placeholder || ` ${italic('value')}`} ...` : placeholder;
    lines.push('.TP', names.join(', ') + value, ...optionText(option));
  }
  const stem = words.map((word) => word.split(' ')[0]!);
  for (const sub of command.subcommands) lines.push(...commandSection(sub, stem));
  return lines;
}

function optionText(option: CliOption): string[] {
  const lines = option.describe ? prose(option.describe, '.br') : [];
  const facts: string[] = [];
  if (option.required) facts.push('required');
  if (option.choices?.length) facts.push(`one of ${option.choices.map((choice) => bold(escapeLiteral(String(choice)))).join(', ')}`);
  const defaults = Array.isArray(option.default)
    ? option.default.map(String)
    : option.default === undefined || option.default === ''
      ? []
      : [String(option.default)];
  if (defaults.length) {
    facts.push(`default ${defaults.map((value) => bold(escapeLiteral(value))).join(' ')}`);
    if (option.type === 'boolean' && option.default === true) facts.push(`turn off with ${bold(escapeLiteral(`--no-${option.name}`))}`);
  }
  if (facts.length) lines.push(`(${facts.join('; ')})`);
  return lines;
}

/** "meta-data <agent> [x]" with placeholders in italics, ready for a macro argument. */
function synopsis(command: string): string {
  return command
    .split(' ')
    .map((word) => {
      const placeholder = /^([<[])(.+?)(?:\.\.)?([>\]])$/.exec(word);
      if (!placeholder) return escapeLiteral(word);
      const name = italic(escapeLiteral(placeholder[2]!));
      return placeholder[1] === '[' ? `[${name}]` : name;
    })
    .join(' ');
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
