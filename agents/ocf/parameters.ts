// Turns OCF_RESKEY_* strings into typed values: defaults applied, required and allowed values
// enforced, every failure a ConfigurationError that names the parameter.
import { BOOLEAN_SPELLINGS, parseBoolean } from '../core/booleans';
import { assertNever } from '../core/assert';
import { ConfigurationError } from '../core/errors';
import type { ParameterSpec, ParameterSpecs, ParameterValues } from './spec';

export function rawParameters(env: NodeJS.ProcessEnv, specs: ParameterSpecs): Record<string, string | undefined> {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(specs)) raw[name] = env[`OCF_RESKEY_${name}`];
  return raw;
}

export function parseParameters<P extends ParameterSpecs>(specs: P, raw: Record<string, string | undefined>): ParameterValues<P> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const text = raw[name];
    // Pacemaker passes an empty string for a parameter set to ""; treat it as unset, like ocf_is_true.
    if (text === undefined || text === '') {
      if (spec.required) throw new ConfigurationError(`required parameter ${name} is not set`, name);
      values[name] = spec.default;
      continue;
    }
    values[name] = parseValue(name, spec, text);
  }
  return values as ParameterValues<P>;
}

function parseValue(name: string, spec: ParameterSpec, text: string): string | number | boolean {
  switch (spec.type) {
    case 'string':
      if (spec.allowed && !spec.allowed.includes(text)) {
        throw new ConfigurationError(`parameter ${name}="${text}" is not one of: ${spec.allowed.join(', ')}`, name);
      }
      return text;
    case 'integer': {
      if (!/^-?\d+$/.test(text.trim())) throw new ConfigurationError(`parameter ${name}="${text}" is not an integer`, name);
      const value = Number(text.trim());
      if (spec.min !== undefined && value < spec.min) throw new ConfigurationError(`parameter ${name}=${value} is below the minimum ${spec.min}`, name);
      if (spec.max !== undefined && value > spec.max) throw new ConfigurationError(`parameter ${name}=${value} is above the maximum ${spec.max}`, name);
      return value;
    }
    case 'boolean': {
      const value = parseBoolean(text);
      if (value === undefined) throw new ConfigurationError(`parameter ${name}="${text}" is not a boolean (${BOOLEAN_SPELLINGS})`, name);
      return value;
    }
    default:
      return assertNever(spec);
  }
}
