import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lookup, parseSysconfig, setKey } from '../../../rules/hooks/sysconfig-file';

const ifcfg = [
  "BOOTPROTO='static'",
  "IPADDR='10.1.1.31/24'",
  '# STARTMODE=off',
  'STARTMODE="nfsroot"',
  'NAME=eth1 # replication',
  "POST_UP_SCRIPT=''",
  '',
].join('\n');

test('parses single, double and unquoted values, skips comments', () => {
  assert.equal(
    parseSysconfig(ifcfg).map((a) => [a.key, a.value, a.line]),
    [
      ['BOOTPROTO', 'static', 1],
      ['IPADDR', '10.1.1.31/24', 2],
      ['STARTMODE', 'nfsroot', 4],
      ['NAME', 'eth1', 5],
      ['POST_UP_SCRIPT', '', 6],
    ],
  );
});

test('lookup returns the last assignment, as the shell would', () => {
  assert.is(lookup("A='1'\nA='2'\n", 'A')?.value, '2');
  assert.is(lookup("A='1'\nA='2'\n", 'A')?.line, 2);
  assert.is(lookup(ifcfg, 'MISSING'), undefined);
});

test('setKey replaces in place or appends, keeping every other line', () => {
  const set = setKey(ifcfg, 'POST_UP_SCRIPT', 'compat:suse:/x');
  assert.is(set, ifcfg.replace("POST_UP_SCRIPT=''", "POST_UP_SCRIPT='compat:suse:/x'"));
  assert.is(setKey("A='1'", 'B', 'x'), "A='1'\nB='x'\n");
  assert.is(setKey('', 'B', 'x'), "B='x'\n");
  assert.throws(() => setKey('', 'B', "it's"), /quote/);
});

test.run();
