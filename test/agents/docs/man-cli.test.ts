import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI_SUMMARY, COMPLETION_COMMAND } from '../../../agents/cli/cli';
import { commands } from '../../../agents/cli/commands';
import { readCommands, type CliCommand } from '../../../agents/docs/cli-definitions';
import { renderCliManPage } from '../../../agents/docs/man-cli';
import { escapeLiteral, prose } from '../../../agents/docs/roff';

const context = { version: '1.2.3', date: '2026-01-02', ocfRoot: '/usr/lib/ocf' };

test('header, NAME and synopsis', () => {
  const text = renderCliManPage({ summary: 'Does things.', commands: [], agents: [], files: [] }, context);
  assert.ok(text.startsWith('.TH OCFKIT 8 "2026-01-02" "ocfkit 1.2.3" "System Administration"\n.SH NAME\nocfkit \\- does things\n.SH SYNOPSIS\n'));
  assert.ok(text.includes('This build contains no agents.'));
});

test('commands with placeholders, options, defaults and subcommands', () => {
  const sub: CliCommand = {
    command: 'reconnect <resource>',
    describe: 'reconnect it',
    positionals: [{ name: 'resource', array: false, aliases: [], required: true, describe: 'the DRBD resource' }],
    options: [],
    subcommands: [],
  };
  const drbd: CliCommand = {
    command: 'drbd <command>',
    describe: 'DRBD helpers',
    positionals: [],
    options: [
      { name: 'dry-run', type: 'boolean', array: false, default: true, aliases: ['n'], required: false, describe: 'only print' },
      { name: 'mode', type: 'string', array: false, choices: ['a', 'b'], aliases: [], required: true },
      { name: 'chain', type: 'string', array: true, default: [], aliases: [], required: false, describe: 'run afterwards' },
      { name: 'peer', type: 'string', array: true, default: ['a', 'b'], aliases: [], required: false },
    ],
    subcommands: [sub],
  };
  const text = renderCliManPage(
    { summary: 'S.', commands: [drbd], agents: [{ name: 'VM', shortdesc: 'Runs guests' }], files: [{ path: '/etc/x.yaml', what: 'Config.' }] },
    context,
  );
  assert.ok(text.includes('.SS "ocfkit drbd \\fIcommand\\fR"\nDRBD helpers\n'));
  assert.ok(text.includes('.TP\n\\fB\\-\\-dry\\-run\\fR, \\fB\\-n\\fR\nonly print\n(default \\fBtrue\\fR; turn off with \\fB\\-\\-no\\-dry\\-run\\fR)\n'));
  assert.ok(text.includes('.TP\n\\fB\\-\\-mode\\fR \\fIstring\\fR\n(required; one of \\fBa\\fR, \\fBb\\fR)\n'));
  assert.ok(text.includes('.TP\n\\fB\\-\\-chain\\fR \\fIstring\\fR ...\nrun afterwards\n.TP\n'), 'an empty array default is no default');
  assert.ok(text.includes('.TP\n\\fB\\-\\-peer\\fR \\fIstring\\fR ...\n(default \\fBa\\fR \\fBb\\fR)\n'));
  assert.ok(text.includes('.SS "ocfkit drbd reconnect \\fIresource\\fR"\nreconnect it\n.TP\n\\fIresource\\fR\nthe DRBD resource\n(required)\n'));
  assert.ok(text.includes('.TP\n\\fBocf:ocfkit:VM\\fR\nRuns guests; see \\fBocf_ocfkit_VM\\fR(7).'));
  assert.ok(text.includes('.SH FILES\n.TP\n\\fI/etc/x.yaml\\fR\nConfig.\n'));
  assert.ok(text.includes('.SH SEE ALSO\n\\fBocf_ocfkit_VM\\fR(7), \\fBcrm_resource\\fR(8)'));
});

test('the real CLI: every command, option and description is on the page', () => {
  const records = readCommands([COMPLETION_COMMAND, ...commands]);
  const text = renderCliManPage({ summary: CLI_SUMMARY, commands: records, agents: [], files: [] }, context);
  const lines = text.split('\n');
  // the page names a subcommand after its parents' first words, as commandSection does
  const walk = (list: CliCommand[], parents: string[]) => {
    for (const record of list) {
      const stem = [...parents, record.command.split(' ')[0]!];
      const header = `.SS "ocfkit ${stem.map(escapeLiteral).join(' ')}`;
      assert.ok(
        lines.some((line) => line === `${header}"` || line.startsWith(`${header} `)),
        `${record.command}: ${header}`,
      );
      for (const line of prose(record.describe)) assert.ok(text.includes(line), `${record.command}: ${line}`);
      for (const option of record.options) {
        assert.ok(text.includes(`\\fB${escapeLiteral(`--${option.name}`)}\\fR`), `${record.command} --${option.name}`);
        if (option.describe) assert.ok(text.includes(prose(option.describe)[0]!), `${record.command} --${option.name} description`);
      }
      walk(record.subcommands, stem);
    }
  };
  walk(records, []);
  assert.ok(records.some((r) => r.command === 'install' && r.options.some((o) => o.name === 'destdir')));
});

test.run();
