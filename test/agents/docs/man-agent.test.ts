import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { agentPageName, renderAgentManPage } from '../../../agents/docs/man-agent';
import { escapeInline, escapeLiteral } from '../../../agents/docs/roff';
import { advertisedActions, formatDefault, parameterEntries, renderMetaData } from '../../../agents/ocf/metadata';
import { defineAgent, type AnyAgentSpec } from '../../../agents/ocf/spec';
import { agentNames, loadAgent } from '../../../agents/registry';
import { testResource } from '../../test-agents/test-resource';

const context = { version: '1.2.3', date: '2026-01-02', ocfRoot: '/usr/lib/ocf' };
const noop = async () => undefined;

const tricky = defineAgent({
  name: 'Tricky',
  version: '2.0',
  shortdesc: 'Tricky text',
  longdesc: "First paragraph with a back\\slash and --force.\n\n.starts with a dot\n'starts with a quote",
  parameters: {
    policy: { type: 'string', required: true, unique: true, allowed: ['keep-both', 'discard'] as const, shortdesc: 'Policy', longdesc: 'What to do.' },
    retries: { type: 'integer', default: 3, min: 0, max: 10, shortdesc: 'Retries', longdesc: 'How often.' },
    empty: { type: 'string', default: '', shortdesc: 'Empty default', longdesc: 'Nothing by default.' },
  },
  actions: {
    start: { timeout: 90, handler: noop },
    stop: { timeout: 120, handler: noop },
    monitor: { timeout: 30, interval: 15, handler: noop, alsoAdvertise: [{ timeout: 60, interval: 60, depth: 10 }] },
    promote: { timeout: 45, role: 'Promoted', handler: noop },
  },
  examples: [{ title: 'With pcs:', lines: ['pcs resource create t ocf:ocfkit:Tricky policy=discard \\', '  op monitor interval=15s'] }],
});

/** The checks every page must pass: name, each parameter with its facts, each action, each example. */
function assertPageCovers(spec: AnyAgentSpec, text: string): void {
  const lines = text.split('\n');
  assert.ok(lines[0]!.startsWith(`.TH "${escapeLiteral(agentPageName(spec.name).toUpperCase())}" 7 "${context.date}"`), lines[0]);
  assert.is(lines[lines.indexOf('.SH NAME') + 1], `${escapeLiteral(agentPageName(spec.name))} \\- ${escapeInline(spec.shortdesc.trim())}`, 'NAME line');
  for (const [name, parameter] of parameterEntries(spec)) {
    const header = lines.find((line) => line.startsWith(`\\fB${escapeLiteral(name)}\\fR (`));
    assert.ok(header, `parameter ${name} has an item`);
    const facts = header!.slice(header!.indexOf(' ('));
    assert.ok(facts.startsWith(` (${parameter.type}`), `${name}: type`);
    assert.is(facts.includes('required'), Boolean(parameter.required), `${name}: required`);
    if (parameter.default !== undefined && parameter.default !== '')
      assert.ok(facts.includes(`default \\fB${escapeLiteral(formatDefault(parameter.default))}\\fR`), `${name}: default`);
    if (parameter.type === 'string' && parameter.allowed) {
      for (const value of parameter.allowed) assert.ok(text.includes(`\\fB${escapeLiteral(value)}\\fR`), `${name}: allowed ${value}`);
    }
  }
  const section = text.slice(text.indexOf('.SH ACTIONS'), text.indexOf('.SH', text.indexOf('.SH ACTIONS') + 1));
  for (const action of advertisedActions(spec)) {
    assert.ok(
      section.includes(`.TP\n\\fB${escapeLiteral(action.name)}\\fR\ntimeout ${action.timeout} s`),
      `action ${action.name} with timeout ${action.timeout}`,
    );
  }
  for (const example of spec.examples ?? []) {
    for (const line of example.lines) assert.ok(text.includes(escapeLiteral(line)), `example line ${line}`);
  }
}

test('a page covers the description, every parameter, every action and every example', () => {
  const text = renderAgentManPage(tricky, context);
  assertPageCovers(tricky, text);
  assert.ok(text.includes('\\fBpolicy\\fR (string, required, unique)'));
  assert.ok(text.includes('\\fBretries\\fR (integer, default \\fB3\\fR)'));
  assert.ok(text.includes('Range: 0 to 10.'));
  assert.ok(text.includes('\\fBempty\\fR (string, default empty)'));
  assert.ok(text.includes('.TP\n\\fBmonitor\\fR\ntimeout 60 s, interval 60 s, depth 10'));
  assert.ok(text.includes('.TP\n\\fBpromote\\fR\ntimeout 45 s, role Promoted'));
  assert.ok(text.includes('.SH EXAMPLES\n.PP\nWith pcs:\n.RS 4\n.nf\npcs resource create t ocf:ocfkit:Tricky policy=discard \\e\n'));
});

test('description text cannot inject requests or escapes', () => {
  const text = renderAgentManPage(tricky, context);
  assert.ok(text.includes("First paragraph with a back\\eslash and \\-\\-force.\n.PP\n\\&.starts with a dot\n\\&'starts with a quote\n"));
  for (const line of text.split('\n')) {
    if (/^[.']/.test(line)) assert.ok(/^\.(TH|SH|SS|TP|PP|IP|br|RS|RE|nf|fi|ad)( |$)/.test(line), `only known requests start a line: ${line}`);
  }
});

test('the test-only agent renders', () => {
  assertPageCovers(testResource, renderAgentManPage(testResource, context));
});

test('every registered agent has a page that covers its whole meta-data', async () => {
  const names = agentNames();
  const pages = await Promise.all(names.map(async (name) => ({ spec: await loadAgent(name), name })));
  assert.equal(
    pages.map((p) => p.spec.name),
    names,
    'each agent spec carries its registry name',
  );
  for (const { spec } of pages) {
    const text = renderAgentManPage(spec, context);
    assertPageCovers(spec, text);
    // the meta-data is the other rendering of the same definition: its parameters and actions are all on the page
    const xml = renderMetaData(spec);
    for (const [, name] of xml.matchAll(/<parameter name="([^"]+)"/g)) assert.ok(text.includes(`\\fB${escapeLiteral(name!)}\\fR (`), `${spec.name}: ${name}`);
    for (const [, name, timeout] of xml.matchAll(/<action name="([^"]+)" timeout="(\d+)s"/g)) {
      assert.ok(text.includes(`\\fB${escapeLiteral(name!)}\\fR\ntimeout ${timeout} s`), `${spec.name}: ${name} ${timeout}`);
    }
  }
});

test.run();
