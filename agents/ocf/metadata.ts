// Meta-data XML from the agent definition. It must validate against all three validators
// (ra-api-1.dtd with the DOCTYPE line, resource-agents' metadata.rng, OCF 1.1's ra-api.rng), so:
// longdesc before shortdesc, no <select>, no reloadable/unique-group. Allowed values are listed in
// the parameter's description instead and enforced by parameters.ts.
import type { ActionName, ActionTiming, AnyAgentSpec, ParameterSpec } from './spec';

/** The OCF API version this runtime implements (exit codes 190/191 are 1.1). */
const OCF_API_VERSION = '1.1';

export function advertisedActions(spec: AnyAgentSpec): Array<{ name: string } & ActionTiming> {
  const entries: Array<{ name: string } & ActionTiming> = [];
  for (const [name, action] of Object.entries(spec.actions) as Array<[ActionName, NonNullable<AnyAgentSpec['actions'][ActionName]>]>) {
    entries.push({ name, timeout: action.timeout, interval: action.interval, depth: action.depth, role: action.role });
    for (const extra of action.alsoAdvertise ?? []) entries.push({ name, ...extra });
  }
  if (!spec.actions['validate-all']) entries.push({ name: 'validate-all', timeout: 20 });
  entries.push({ name: 'meta-data', timeout: 5 });
  return entries;
}

function parameterDescription(name: string, parameter: ParameterSpec): string {
  let text = parameter.longdesc.trim();
  if (parameter.type === 'string' && parameter.allowed) text += `\nAllowed values: ${parameter.allowed.join(', ')}.`;
  if (parameter.type === 'integer' && (parameter.min !== undefined || parameter.max !== undefined)) {
    text += `\nRange: ${parameter.min ?? '-inf'} to ${parameter.max ?? 'inf'}.`;
  }
  void name;
  return text;
}

export function renderMetaData(spec: AnyAgentSpec): string {
  const lines: string[] = [];
  lines.push('<?xml version="1.0"?>');
  lines.push('<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">');
  lines.push(`<resource-agent name="${xml(spec.name)}" version="${xml(spec.version)}">`);
  lines.push(`<version>${OCF_API_VERSION}</version>`);
  lines.push(`<longdesc lang="en">\n${xml(spec.longdesc.trim())}\n</longdesc>`);
  lines.push(`<shortdesc lang="en">${xml(spec.shortdesc)}</shortdesc>`);
  lines.push('<parameters>');
  for (const [name, parameter] of parameterEntries(spec)) {
    lines.push(`<parameter name="${xml(name)}" unique="${parameter.unique ? 1 : 0}" required="${parameter.required ? 1 : 0}">`);
    lines.push(`<longdesc lang="en">\n${xml(parameterDescription(name, parameter))}\n</longdesc>`);
    lines.push(`<shortdesc lang="en">${xml(parameter.shortdesc)}</shortdesc>`);
    const def = parameter.default === undefined ? '' : ` default="${xml(formatDefault(parameter.default))}"`;
    lines.push(`<content type="${parameter.type}"${def} />`);
    lines.push('</parameter>');
  }
  lines.push('</parameters>');
  lines.push('<actions>');
  for (const action of advertisedActions(spec)) {
    const attrs = [`name="${action.name}"`, `timeout="${action.timeout}s"`];
    if (action.interval !== undefined) attrs.push(`interval="${action.interval}s"`);
    if (action.depth !== undefined) attrs.push(`depth="${action.depth}"`);
    if (action.role !== undefined) attrs.push(`role="${action.role}"`);
    lines.push(`<action ${attrs.join(' ')} />`);
  }
  lines.push('</actions>');
  lines.push('</resource-agent>');
  return lines.join('\n') + '\n';
}

/** The parameters users set, in declaration order, typed for documentation code (not the test-only ones). */
export function parameterEntries(spec: AnyAgentSpec): Array<[string, ParameterSpec]> {
  return Object.entries(spec.parameters as Record<string, ParameterSpec>).filter(([, parameter]) => !parameter.testOnly);
}

export function formatDefault(value: string | number | boolean): string {
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function usageText(spec: AnyAgentSpec): string {
  const actions = [...new Set(advertisedActions(spec).map((a) => a.name))];
  const lines = [`usage: ${spec.name} {${actions.join('|')}}`, '', `${spec.shortdesc}`, '', 'Parameters (OCF_RESKEY_<name>):'];
  for (const [name, parameter] of parameterEntries(spec)) {
    const flags = [
      parameter.type,
      parameter.required ? 'required' : undefined,
      parameter.default !== undefined ? `default ${formatDefault(parameter.default)}` : undefined,
    ].filter(Boolean);
    lines.push(`  ${name} (${flags.join(', ')}): ${parameter.shortdesc}`);
  }
  return lines.join('\n') + '\n';
}
