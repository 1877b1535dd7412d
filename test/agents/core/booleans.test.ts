import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBoolean } from '../../../agents/core/booleans';

test("Pacemaker's true spellings", () => {
  for (const text of ['true', 'TRUE', 'yes', 'Yes', 'y', 'on', '1', ' on ']) assert.is(parseBoolean(text), true, text);
});

test("Pacemaker's false spellings", () => {
  for (const text of ['false', 'no', 'n', 'off', '0', 'OFF']) assert.is(parseBoolean(text), false, text);
});

test('anything else is not a boolean (a typo must not turn a guard off)', () => {
  for (const text of ['', 'ture', '2', 'enabled', 'nope']) assert.is(parseBoolean(text), undefined, text);
});

test.run();
