// Meta-data escaping: descriptions are free text ("a < b", "A & B", quotes in defaults) and must
// come out as XML text and attribute values, or Pacemaker (and every validator) rejects the agent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OcfExit } from '../../../agents/core/exit-codes';
import { renderMetaData, usageText } from '../../../agents/ocf/metadata';
import { runAgent } from '../../../agents/ocf/runner';
import { defineAgent } from '../../../agents/ocf/spec';
import { fakeExecutor } from '../../support/fake-executor';

const agent = defineAgent({
  name: 'Escapes',
  version: '1.0',
  shortdesc: 'Bound <wait> & retry',
  longdesc: 'Waits while load < 2 && the peer is "up".',
  parameters: {
    pattern: { type: 'string', default: '<a href="x">&amp;', shortdesc: 'A & B', longdesc: 'matches <tag> & "quoted"' },
  },
  actions: {
    start: { timeout: 20, handler: async () => undefined },
    stop: { timeout: 20, handler: async () => undefined },
    monitor: { timeout: 20, interval: 10, handler: async () => undefined },
  },
});

test('<, &, > and " in descriptions and defaults are escaped, in text and in attributes', () => {
  const xml = renderMetaData(agent);
  assert.ok(xml.includes('<shortdesc lang="en">Bound &lt;wait&gt; &amp; retry</shortdesc>'), xml);
  assert.ok(xml.includes('\nWaits while load &lt; 2 &amp;&amp; the peer is &quot;up&quot;.\n</longdesc>'), xml);
  assert.ok(xml.includes('<shortdesc lang="en">A &amp; B</shortdesc>'), xml);
  assert.ok(xml.includes('\nmatches &lt;tag&gt; &amp; &quot;quoted&quot;\n</longdesc>'), xml);
  assert.ok(xml.includes('<content type="string" default="&lt;a href=&quot;x&quot;&gt;&amp;amp;" />'), xml);
  // no raw & (not starting an entity) and no < that does not start markup anywhere
  assert.not.match(xml, /&(?!(amp|lt|gt|quot);)/);
  const text = xml.replace(/<[/?!]?[A-Za-z][^<>]*>/g, '');
  assert.not.match(text, /[<>]/);
});

test('a test-only parameter is parsed but left out of meta-data and usage', async () => {
  const withKnob = defineAgent({
    name: 'Knob',
    version: '1.0',
    shortdesc: 'test',
    longdesc: 'test agent',
    parameters: {
      target: { type: 'string', default: 'x', shortdesc: 't', longdesc: 'target' },
      fake_root: { type: 'string', default: '/', shortdesc: 'r', longdesc: 'root for tests', testOnly: true },
    },
    actions: {
      start: { timeout: 20, handler: async ({ params }) => (params.fake_root === '/tmp/fake' ? OcfExit.SUCCESS : OcfExit.ERR_GENERIC) },
      stop: { timeout: 20, handler: async () => undefined },
      monitor: { timeout: 20, handler: async () => undefined },
    },
  });
  const xml = renderMetaData(withKnob);
  assert.match(xml, /<parameter name="target"/);
  assert.not.match(xml, /fake_root/);
  assert.not.match(usageText(withKnob), /fake_root/);
  const result = await runAgent(withKnob, ['start'], {
    env: { OCF_RESKEY_fake_root: '/tmp/fake' },
    stdout: () => undefined,
    stderr: () => undefined,
    executor: () => fakeExecutor([]),
  });
  assert.is(result.code, OcfExit.SUCCESS);
});

test.run();
