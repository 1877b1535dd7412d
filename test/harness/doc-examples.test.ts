// The documentation example extractor as tables: shell word splitting, which blocks are examples,
// what is reported as wrong, and which fixtures a block needs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractExamples, shellWords, usedNotCreated, type ExampleCommand } from './doc-examples';

test('shell words: quotes, escapes and comments as sh splits them', () => {
  const table: Array<[string, string[]]> = [
    ['pcs resource update vm1 a=1', ['pcs', 'resource', 'update', 'vm1', 'a=1']],
    [
      'pcs resource update vm1 migrate_options="--auto-converge --postcopy"',
      ['pcs', 'resource', 'update', 'vm1', 'migrate_options=--auto-converge --postcopy'],
    ],
    ['crm resource param vm1 set x "a b"', ['crm', 'resource', 'param', 'vm1', 'set', 'x', 'a b']],
    ["crm x 'it''s' \"q\\\"uote\"", ['crm', 'x', 'its', 'q"uote']],
    ['pcs a\\ b   c', ['pcs', 'a b', 'c']],
    ['pcs a # a comment', ['pcs', 'a']],
    ['pcs a#b', ['pcs', 'a#b']],
    ['pcs ""', ['pcs', '']],
  ];
  for (const [line, words] of table) assert.equal(shellWords(line), words, line);
});

test('shell words: what needs a shell is refused', () => {
  for (const line of ['pcs a $X', 'pcs a | tee', 'pcs a > f', 'pcs a; pcs b', 'pcs "$(x)"', "pcs 'open", 'pcs "open', 'pcs *']) {
    assert.throws(() => shellWords(line), undefined, line);
  }
});

const md = [
  '# Title', // 1
  '', // 2
  '```sh', // 3
  'pcs resource create vm1 ocf:ocfkit:VirtualMachine \\', // 4
  '    config=/x', // 5
  '# a comment line', // 6
  '', // 7
  'crm resource param vm1 set a b', // 8
  '```', // 9
  '', // 10
  '```', // 11
  'ocfkit drbd status', // 12
  '```', // 13
  '', // 14
  'Inline: `pcs resource update vm1 a=1` and `crm_resource --list` and `pcs`.', // 15
  '', // 16
  '~~~', // 17
  'crm configure show', // 18
  'systemctl daemon-reload', // 19
  '~~~', // 20
].join('\n');

test('example blocks: only blocks with pcs or crm, continuation joined, with their lines', () => {
  const { blocks } = extractExamples('doc.md', md);
  assert.is(blocks.length, 2);
  assert.equal(
    blocks[0]!.commands.map((c) => [c.line, c.tool, c.argv]),
    [
      [4, 'pcs', ['resource', 'create', 'vm1', 'ocf:ocfkit:VirtualMachine', 'config=/x']],
      [8, 'crm', ['resource', 'param', 'vm1', 'set', 'a', 'b']],
    ],
  );
  assert.is(blocks[0]!.line, 3);
  assert.equal(
    blocks[1]!.commands.map((c) => c.text),
    ['crm configure show'],
  );
});

test('problems: another command in an example block, and pcs/crm written inline', () => {
  const { problems } = extractExamples('doc.md', md);
  assert.equal(
    problems.map((p) => [p.line, p.problem.split(':')[0]]),
    [
      [19, 'a block with pcs or crm examples holds another command (give it a block of its own)'],
      [15, 'a pcs or crm command inline in prose never runs; write it as a fenced block'],
    ],
  );
});

const cmd = (tool: 'pcs' | 'crm', line: string): ExampleCommand => ({ line: 1, tool, argv: line.split(' '), text: line });
const known = ['vm1', 'web', 'drbd-vm1-clone', 'lvmlockd-clone'];

test('fixtures: what a block uses but does not create', () => {
  const table: Array<[ExampleCommand[], string[]]> = [
    [[cmd('pcs', 'resource update vm1 a=1')], ['vm1']],
    [[cmd('pcs', 'resource create vm1 ocf:ocfkit:VirtualMachine'), cmd('pcs', 'resource update vm1 a=1')], []],
    [[cmd('pcs', 'constraint order promote drbd-vm1-clone then start vm1'), cmd('pcs', 'resource create vm1 x')], ['drbd-vm1-clone']],
    [
      [cmd('pcs', 'resource create drbd-vm1 ocf:linbit:drbd promotable promoted-max=2'), cmd('pcs', 'constraint order promote drbd-vm1-clone then start web')],
      ['web'],
    ],
    [[cmd('crm', 'configure colocation c inf: vm1 drbd-vm1-clone:Promoted')], ['vm1', 'drbd-vm1-clone']],
    [[cmd('crm', 'configure primitive vm1 x'), cmd('crm', 'configure order o Mandatory: lvmlockd-clone vm1:start')], ['lvmlockd-clone']],
    [[cmd('crm', 'configure clone lvmlockd-clone lvmlockd')], []],
    [[cmd('pcs', 'resource create vm10 x config=/etc/vm1.xml')], []],
  ];
  for (const [commands, needed] of table) assert.equal(usedNotCreated(commands, known), needed, commands.map((c) => c.text).join('; '));
});

test.run();
