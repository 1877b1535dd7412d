// The generated man pages through the real groff (man-db's `man --warnings`): escaping holds for
// hostile text, and every page ocfkit ships renders without a warning.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderAgentManPage } from '../../agents/docs/man-agent';
import { writeManPages } from '../../agents/docs/generate';
import { defineAgent } from '../../agents/ocf/spec';
import { agentNames } from '../../agents/registry';
import { integrationSuite } from '../support/integration';
import { binary } from '../harness/needs';
import { testResource } from '../test-agents/test-resource';

const context = { version: '0.0.0-test', date: '2026-01-02', ocfRoot: '/usr/lib/ocf' };
const noop = async () => undefined;
const hostile = defineAgent({
  name: 'Hostile',
  version: '1.0',
  shortdesc: 'Text that groff would misread',
  longdesc: 'A back\\slash, --double-dash, -1, "quotes", naïve – unicode.\n.TH looks like a request\n\'also a request\n\n   indented second paragraph',
  parameters: {
    'with-dash': { type: 'string', default: '-', allowed: ['-', '.', "'", '\\'] as const, shortdesc: '.dot first', longdesc: "'quote first" },
  },
  actions: { start: { timeout: 1, handler: noop }, stop: { timeout: 1, handler: noop }, monitor: { timeout: 1, handler: noop } },
  examples: [{ title: '.Example with a dot', lines: ['crm configure primitive x ocf:ocfkit:Hostile \\', "  params with-dash='-' \\", '.leading dot', ''] }],
});

const man = integrationSuite('man pages render through groff without warnings', [binary('man')], { dir: '' });
man.before((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-man-'));
});
man.after((ctx) => rmSync(ctx.dir, { recursive: true, force: true }));

function render(file: string): { text: string; warnings: string } {
  const ran = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', file], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '200' } });
  assert.is(ran.status, 0, ran.stderr);
  return { text: ran.stdout, warnings: ran.stderr };
}

man('hostile text comes out literally and without warnings', (ctx) => {
  const file = path.join(ctx.dir, 'ocf_ocfkit_Hostile.7');
  writeFileSync(file, renderAgentManPage(hostile, context));
  const { text, warnings } = render(file);
  assert.is(warnings, '');
  for (const literal of [
    'A back\\slash, --double-dash, -1, "quotes", naïve – unicode.',
    '.TH looks like a request',
    "'also a request",
    'indented second paragraph',
    '.dot first',
    "'quote first",
    "params with-dash='-' \\",
    '.leading dot',
  ]) {
    assert.ok(text.includes(literal), `rendered page shows: ${literal}\n${text}`);
  }
});

man('the test-only agent and every page the package ships render without warnings', async (ctx) => {
  const file = path.join(ctx.dir, 'ocf_ocfkit_TestResource.7');
  writeFileSync(file, renderAgentManPage(testResource, context));
  assert.is(render(file).warnings, '');
  const written = await writeManPages(path.join(ctx.dir, 'all'), context);
  assert.equal(written.sort(), [...agentNames().map((name) => `man7/ocf_ocfkit_${name}.7`), 'man8/ocfkit.8'].sort());
  for (const page of written) assert.is(render(path.join(ctx.dir, 'all', page)).warnings, '', page);
});

man.run();
