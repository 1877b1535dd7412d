// The generated parameter reference in docs/agents/: what it shows for a definition, how it keeps
// hostile text literal, and that the checked-in pages are exactly what the generator writes now.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { agentDocSlug, agentReferencePath, REGENERATE_COMMAND, renderAgentMarkdown } from '../../../agents/docs/markdown-agent';
import { generatedPagesIn, referencePages } from '../../../agents/docs/write-reference';
import { defineAgent } from '../../../agents/ocf/spec';
import { agentNames } from '../../../agents/registry';

const repoRoot = path.resolve(__dirname, '../../..');
const noop = async () => undefined;

const tricky = defineAgent({
  name: 'TrickyXMLThing',
  version: '2.0',
  shortdesc: 'Tricky <text> | pipes',
  longdesc: 'First paragraph with a back\\slash, *stars*, _under_ and lease_dir.\n\n    - indented list-like line\n# heading-like line\n1. numbered',
  parameters: {
    policy: { type: 'string', required: true, unique: true, allowed: ['keep-both', 'discard'] as const, shortdesc: 'Policy', longdesc: 'What to do.' },
    retries: { type: 'integer', default: 3, min: 0, max: 10, shortdesc: 'Retries', longdesc: 'How often.' },
    sep: { type: 'string', default: 'a|b', shortdesc: 'Separator', longdesc: 'A pipe.' },
    empty: { type: 'string', default: '', shortdesc: 'Empty default', longdesc: 'Nothing by default.' },
  },
  actions: {
    start: { timeout: 90, handler: noop },
    stop: { timeout: 120, handler: noop },
    monitor: { timeout: 30, interval: 15, handler: noop, alsoAdvertise: [{ timeout: 60, interval: 60, depth: 10 }] },
    promote: { timeout: 45, role: 'Promoted', handler: noop },
  },
  examples: [{ title: 'With pcs', lines: ['pcs resource create t ocf:ocfkit:TrickyXMLThing policy=discard \\', '  op monitor interval=15s'] }],
});

test('agent names become file names', () => {
  const table: Array<[string, string]> = [
    ['VirtualMachine', 'virtual-machine'],
    ['DrbdReconnect', 'drbd-reconnect'],
    ['SharedVolumes', 'shared-volumes'],
    ['GuestCensus', 'guest-census'],
    ['TrickyXMLThing', 'tricky-xml-thing'],
    ['Dummy', 'dummy'],
  ];
  for (const [name, slug] of table) assert.is(agentDocSlug(name), slug, name);
  assert.is(agentReferencePath('VirtualMachine'), 'docs/agents/virtual-machine-parameters.md');
});

test('the page lists every parameter with its facts, every action and the examples', () => {
  const page = renderAgentMarkdown(tricky);
  for (const expected of [
    '# ocf:ocfkit:TrickyXMLThing reference',
    '| [`policy`](#policy) | string, required |  | Policy |',
    '| [`retries`](#retries) | integer | `3` | Retries |',
    '| [`sep`](#sep) | string | `a\\|b` | Separator |',
    '| [`empty`](#empty) | string | (empty) | Empty default |',
    '### policy\n\nPolicy (string, required, unique, one of `keep-both`, `discard`).\n\nWhat to do.',
    '### retries\n\nRetries (integer, default `3`, range 0 to 10).',
    '| `monitor` | 60 s | 60 s | 10 |  |',
    '| `promote` | 45 s |  |  | Promoted |',
    '| `meta-data` | 5 s |',
    '```sh\npcs resource create t ocf:ocfkit:TrickyXMLThing policy=discard \\\n  op monitor interval=15s\n```',
  ]) {
    assert.ok(page.includes(expected), `page shows:\n${expected}\n---\n${page}`);
  }
});

test('prose stays prose: markup characters escaped, no code block, list or heading from a description', () => {
  const page = renderAgentMarkdown(tricky);
  assert.ok(page.includes('Tricky \\<text\\> \\| pipes.'), page);
  assert.ok(page.includes('First paragraph with a back\\\\slash, \\*stars\\*, \\_under\\_ and lease_dir.'), page);
  assert.ok(page.includes('\n\\- indented list-like line\n\\# heading-like line\n1\\. numbered\n'), page);
  assert.not.match(page, /\n {4}\S/);
});

test('every registered agent has its checked-in reference page, and it is current', async () => {
  const pages = await referencePages();
  assert.equal([...pages.keys()].sort(), agentNames().map(agentReferencePath).sort());
  const stale: string[] = [];
  for (const [file, text] of pages) {
    let checkedIn: string | undefined;
    try {
      checkedIn = readFileSync(path.join(repoRoot, file), 'utf8');
    } catch {
      checkedIn = undefined;
    }
    if (checkedIn !== text) stale.push(`${file} ${checkedIn === undefined ? 'is missing' : 'differs from the agent definition'}`);
  }
  const orphans = generatedPagesIn(repoRoot).filter((file) => !pages.has(file));
  for (const file of orphans) stale.push(`${file} belongs to no registered agent`);
  assert.ok(stale.length === 0, `the generated agent reference is stale:\n  ${stale.join('\n  ')}\nrun "${REGENERATE_COMMAND}" and commit docs/agents/`);
});

test.run();
