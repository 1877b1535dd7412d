import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigurationError } from '../../../agents/core/errors';
import { parseParameters, rawParameters } from '../../../agents/ocf/parameters';
import type { ParameterSpecs } from '../../../agents/ocf/spec';

const specs = {
  name: { type: 'string', required: true, shortdesc: 's', longdesc: 'l' },
  mode: { type: 'string', default: 'fast', allowed: ['fast', 'safe'], shortdesc: 's', longdesc: 'l' },
  count: { type: 'integer', default: 3, min: 1, max: 10, shortdesc: 's', longdesc: 'l' },
  force: { type: 'boolean', default: false, shortdesc: 's', longdesc: 'l' },
  note: { type: 'string', shortdesc: 's', longdesc: 'l' },
} as const satisfies ParameterSpecs;

function rejects(raw: Record<string, string>, parameter: string, pattern: RegExp) {
  try {
    parseParameters(specs, raw);
  } catch (error) {
    assert.instance(error, ConfigurationError);
    assert.is((error as ConfigurationError).parameter, parameter);
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`expected ${parameter} to be rejected`);
}

test('defaults are applied and values typed', () => {
  const values = parseParameters(specs, { name: 'vm1' });
  assert.equal({ ...values }, { name: 'vm1', mode: 'fast', count: 3, force: false, note: undefined });
});

test('given values win and are converted', () => {
  const values = parseParameters(specs, { name: 'vm1', mode: 'safe', count: '7', force: 'yes', note: 'x' });
  assert.equal({ ...values }, { name: 'vm1', mode: 'safe', count: 7, force: true, note: 'x' });
});

test('an empty string counts as unset', () => {
  assert.is(parseParameters(specs, { name: 'vm1', count: '' }).count, 3);
});

test('errors name the parameter', () => {
  rejects({}, 'name', /required parameter name is not set/);
  rejects({ name: 'a', mode: 'quick' }, 'mode', /mode="quick" is not one of: fast, safe/);
  rejects({ name: 'a', count: '3x' }, 'count', /count="3x" is not an integer/);
  rejects({ name: 'a', count: '11' }, 'count', /above the maximum 10/);
  rejects({ name: 'a', count: '0' }, 'count', /below the minimum 1/);
  rejects({ name: 'a', force: 'sure' }, 'force', /force="sure" is not a boolean/);
});

test('rawParameters reads OCF_RESKEY_<name> only for declared parameters', () => {
  const raw = rawParameters({ OCF_RESKEY_name: 'vm1', OCF_RESKEY_other: 'x', OCF_RESKEY_CRM_meta_interval: '0' }, specs);
  assert.equal(raw, { name: 'vm1', mode: undefined, count: undefined, force: undefined, note: undefined });
});

test.run();
