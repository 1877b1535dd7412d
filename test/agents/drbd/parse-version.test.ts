import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAdmVersion, parseProcVersion, parseVersionText } from '../../../agents/drbd/parse-version';
import { fixture } from './fixtures';

test('drbdadm --version with a 9 module loaded', () => {
  const v = parseAdmVersion(fixture('drbdadm-version-9.txt'));
  assert.is(v.kernel?.text, '9.2.8');
  assert.is(v.utils?.text, '9.27.0');
});

test('drbdadm --version without a module: no kernel version', () => {
  const v = parseAdmVersion(fixture('drbdadm-version-8.4-nomodule.txt'));
  assert.is(v.kernel, undefined);
  assert.is(v.utils?.major, 9);
});

test('version texts with suffixes; garbage rejected', () => {
  assert.equal(parseVersionText('9.0.15-1'), { text: '9.0.15-1', major: 9, minor: 0, patch: 15 });
  assert.is(parseVersionText('nine'), undefined);
  assert.is(parseProcVersion(fixture('proc-8.3.txt'))?.text, '8.3.13');
});

test.run();
