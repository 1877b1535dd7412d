// A small declarative schema over YAML nodes (eemeli/yaml). Each schema turns a node into a typed
// value or throws a ConfigError at the node's line and column, so every setting is validated where
// it is declared and the error points into the admin's file. Unknown keys are errors: a typo must
// not silently disable tuning.
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { ConfigError, type Position } from './errors';

export interface Ctx {
  file: string;
  lines: LineCounter;
}

export interface Schema<T> {
  /** one line for error messages: "an integer 17..32768" */
  expected: string;
  read(ctx: Ctx, node: Node | null, path: string): T;
}

function positionOf(ctx: Ctx, node: Node | null | undefined): Position | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = ctx.lines.linePos(offset);
  return { line, col };
}

export function fail(ctx: Ctx, node: Node | null | undefined, path: string, reason: string): never {
  throw new ConfigError(ctx.file, positionOf(ctx, node), path ? `${path}: ${reason}` : reason);
}

function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node)) return node.value === null ? 'nothing' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  return 'something else';
}

function scalar(ctx: Ctx, node: Node | null, path: string, expected: string): unknown {
  if (isAlias(node)) fail(ctx, node, path, 'YAML aliases are not supported here; write the value out');
  if (!isScalar(node)) fail(ctx, node, path, `expected ${expected}, found ${describe(node)}`);
  return node.value;
}

/** A string checked by `check`, which returns a reason when the value is refused. */
export function string(expected: string, check: (value: string) => string | undefined = () => undefined): Schema<string> {
  return {
    expected,
    read(ctx, node, path) {
      const value = scalar(ctx, node, path, expected);
      if (typeof value !== 'string') fail(ctx, node, path, `expected ${expected}, found ${describe(node)}`);
      const reason = check(value);
      if (reason) fail(ctx, node, path, reason);
      return value;
    },
  };
}

export function integer(min: number, max: number, unit = ''): Schema<number> {
  const expected = `an integer ${min}..${max}${unit ? ` ${unit}` : ''}`;
  return {
    expected,
    read(ctx, node, path) {
      const value = scalar(ctx, node, path, expected);
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(ctx, node, path, `expected ${expected}, found ${describe(node)}`);
      if (value < min || value > max) fail(ctx, node, path, `${value} is out of range: expected ${expected}`);
      return value;
    },
  };
}

/** A value whose scalar (string or number) is parsed by `parse`, which throws Error(reason). */
export function parsed<T>(expected: string, parse: (value: string | number | boolean) => T): Schema<T> {
  return {
    expected,
    read(ctx, node, path) {
      const value = scalar(ctx, node, path, expected);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        fail(ctx, node, path, `expected ${expected}, found ${describe(node)}`);
      try {
        return parse(value);
      } catch (error) {
        return fail(ctx, node, path, (error as Error).message);
      }
    },
  };
}

export function oneOrMany<T>(item: Schema<T>): Schema<T[]> {
  return {
    expected: `${item.expected}, or a list of them`,
    read(ctx, node, path) {
      if (!isSeq(node)) return [item.read(ctx, node, path)];
      if (node.items.length === 0) fail(ctx, node, path, `the list is empty: expected ${item.expected}`);
      return node.items.map((child, i) => item.read(ctx, child as Node, `${path}[${i}]`));
    },
  };
}

export function list<T>(item: Schema<T>): Schema<Array<{ value: T; position: Position | undefined; path: string }>> {
  return {
    expected: `a list of ${item.expected}`,
    read(ctx, node, path) {
      if (isAlias(node)) fail(ctx, node, path, 'YAML aliases are not supported here; write the value out');
      if (node === null || (isScalar(node) && node.value === null)) return [];
      if (!isSeq(node)) fail(ctx, node, path, `expected a list, found ${describe(node)}`);
      return node.items.map((child, i) => ({
        value: item.read(ctx, child as Node, `${path}[${i}]`),
        position: positionOf(ctx, child as Node),
        path: `${path}[${i}]`,
      }));
    },
  };
}

export type Fields = Record<string, { schema: Schema<unknown>; required?: boolean }>;
type Out<F extends Fields> = { [K in keyof F]?: F[K]['schema'] extends Schema<infer T> ? T : never };

export interface ObjectOptions {
  /** exactly one of these keys must be present (selectors, alternatives) */
  exactlyOne?: readonly string[];
  expected?: string;
}

/** A mapping with known keys. Unknown keys are errors naming the allowed ones. */
export function object<F extends Fields>(fields: F, options: ObjectOptions = {}): Schema<Out<F>> {
  const allowed = Object.keys(fields);
  const expected = options.expected ?? `a mapping with ${allowed.join(', ')}`;
  return {
    expected,
    read(ctx, node, path) {
      if (isAlias(node)) fail(ctx, node, path, 'YAML aliases are not supported here; write the value out');
      if (!isMap(node)) fail(ctx, node, path, `expected ${expected}, found ${describe(node)}`);
      const out: Record<string, unknown> = {};
      const seen: string[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? keyNode.value : undefined;
        if (typeof key !== 'string') fail(ctx, keyNode, path, `keys must be plain names, found ${describe(keyNode)}`);
        const where = path ? `${path}.${key}` : key;
        // own keys only: "constructor" or "toString" is an unknown key like any other
        const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
        if (!field) fail(ctx, keyNode, where, `unknown key "${key}" (known: ${allowed.join(', ')})`);
        seen.push(key);
        out[key] = field.schema.read(ctx, pair.value as Node | null, where);
      }
      for (const [key, field] of Object.entries(fields)) {
        if (field.required && !seen.includes(key)) fail(ctx, node, path, `"${key}" is required (${field.schema.expected})`);
      }
      if (options.exactlyOne) {
        const present = options.exactlyOne.filter((key) => seen.includes(key));
        if (present.length !== 1) {
          fail(
            ctx,
            node,
            path,
            present.length === 0 ? `give one of ${options.exactlyOne.join(', ')}` : `give only one of ${present.join(', ')} (found ${present.length})`,
          );
        }
      }
      return out as Out<F>;
    },
  };
}
