// migrate_options: the split into argv and the check against the local virsh, as tables over
// `virsh help migrate` captured from libvirt 9.0.0 (fixture header).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkMigrateOptions, parseVirshHelpOptions } from '../../../agents/virtual-machine/migrate-options';
import { migrationAbortAfterMs } from '../../../agents/virtual-machine/migration';

const HELP = readFileSync('test/fixtures/virtual-machine/virsh-help-migrate.txt', 'utf8');
const supported = parseVirshHelpOptions(HELP);

test('virsh help migrate: every option with what it takes', () => {
  assert.is(supported.get('--auto-converge'), 'flag');
  assert.is(supported.get('--parallel-connections'), 'number');
  assert.is(supported.get('--tls-destination'), 'string');
  assert.is(supported.get('--domain'), 'string');
  assert.is(supported.get('--desturi'), 'string');
  assert.is(supported.size, 49); // every line of the OPTIONS section
  assert.is(parseVirshHelpOptions('error: command not found\n').size, 0);
});

test('accepted: split into argv words', () => {
  const table: Array<[string, string[]]> = [
    ['--auto-converge --compressed', ['--auto-converge', '--compressed']],
    ['  --postcopy   --postcopy-after-precopy ', ['--postcopy', '--postcopy-after-precopy']],
    ['--tls --persistent --undefinesource --unsafe', ['--tls', '--persistent', '--undefinesource', '--unsafe']],
    ['--parallel --parallel-connections 4', ['--parallel', '--parallel-connections', '4']],
    ['--parallel --parallel-connections=4', ['--parallel', '--parallel-connections', '4']],
    ['--tls --tls-destination node2.example.com', ['--tls', '--tls-destination', 'node2.example.com']],
    ['', []],
  ];
  for (const [text, argv] of table) assert.equal(checkMigrateOptions(text, supported), { ok: true, argv }, text);
});

test('refused, with the reason naming the option', () => {
  const table: Array<[string, RegExp]> = [
    ['--fancy', /--fancy is not supported by this node's virsh \(virsh help migrate\)/],
    ['--live', /--live is not allowed: the agent always migrates live/],
    ['--timeout 60 --timeout-suspend', /--timeout is not allowed: the agent aborts/],
    ['--migrateuri tcp://x', /set migrateuri instead/],
    ['--dname other', /keep its name/],
    ['--parallel-connections 4', /--parallel-connections needs --parallel/],
    ['--postcopy-after-precopy', /needs --postcopy/],
    ['--parallel --parallel-connections four', /needs a number, not "four"/],
    ['--parallel --parallel-connections', /--parallel-connections needs a value/],
    ['--compressed=yes', /--compressed takes no value/],
    ['--auto-converge; reboot', /";" is not allowed: .*never given to a shell/],
    ['--tls-destination "a b"', /""" is not allowed/],
    ['$(id)', /"\$" is not allowed/],
    ['auto-converge', /"auto-converge" is not a virsh migrate option/],
  ];
  for (const [text, reason] of table) {
    const verdict = checkMigrateOptions(text, supported);
    assert.is(verdict.ok, false, text);
    if (!verdict.ok) {
      assert.match(verdict.reason, reason, text);
      assert.ok(verdict.reason.startsWith(`parameter migrate_options="${text}": `), verdict.reason);
    }
  }
});

test('syntax only (no virsh asked): unknown options pass, owned ones and pairs do not', () => {
  assert.equal(checkMigrateOptions('--fancy --level 3'), { ok: true, argv: ['--fancy', '--level', '3'] });
  assert.is(checkMigrateOptions('--bandwidth 10').ok, false);
  assert.is(checkMigrateOptions('--postcopy-after-precopy').ok, false);
});

test('the migration gets the migrate_to time but a reserve to abort it', () => {
  const table: Array<[number, number]> = [
    [120000, 105000], // a quarter would be 30 s: at most 15 s kept
    [20000, 15000],
    [4000, 2000], // at least 2 s kept
    [1000, 0],
  ];
  for (const [remaining, abortAfter] of table) assert.is(migrationAbortAfterMs(remaining), abortAfter, String(remaining));
});

test.run();
