import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseProcVersion, parseVersionText } from '../../../agents/drbd/parse-version';
import { fixture } from './fixtures';

test('version texts with suffixes; garbage rejected', () => {
  assert.equal(parseVersionText('9.0.15-1'), { text: '9.0.15-1', major: 9, minor: 0, patch: 15 });
  assert.is(parseVersionText('nine'), undefined);
  assert.is(parseProcVersion(fixture('proc-8.3.txt'))?.text, '8.3.13');
});

test.run();
