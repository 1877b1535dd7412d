import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CommandModule } from 'yargs';
import { readCommand, readCommands } from '../../../agents/docs/cli-definitions';
import { commands } from '../../../agents/cli/commands';

test('records positionals, options, aliases, defaults and required flags from a builder', () => {
  const module: CommandModule = {
    command: 'thing <name> [more..]',
    describe: 'do a thing',
    builder: (y) =>
      y
        .positional('name', { type: 'string', demandOption: true, describe: 'the name' })
        .option('count', { type: 'number', default: 3, alias: 'c', describe: 'how many' })
        .options({ mode: { choices: ['a', 'b'], desc: 'the mode' } })
        .option('secret', { type: 'string', hidden: true })
        .option('many', { type: 'string', array: true, default: [] })
        .check(() => true),
    handler: () => undefined,
  };
  const record = readCommand(module)!;
  assert.is(record.command, 'thing <name> [more..]');
  assert.is(record.describe, 'do a thing');
  assert.equal(
    record.positionals.map((p) => [p.name, p.required, p.describe]),
    [['name', true, 'the name']],
  );
  assert.equal(
    record.options.map((o) => [o.name, o.type, o.default, o.aliases, o.choices, o.describe]),
    [
      ['count', 'number', 3, ['c'], undefined, 'how many'],
      ['mode', undefined, undefined, [], ['a', 'b'], 'the mode'],
      ['many', 'string', [], [], undefined, undefined],
    ],
  );
  assert.equal(
    record.options.map((o) => o.array),
    [false, false, true],
  );
});

test('nested commands become subcommands; hidden commands are left out', () => {
  const child: CommandModule = { command: 'child <x>', describe: 'a child', builder: (y) => y.positional('x', { type: 'string' }), handler: () => undefined };
  const hidden: CommandModule = { command: 'hidden', describe: false, handler: () => undefined };
  const parent: CommandModule = {
    command: 'parent',
    describe: 'a parent',
    builder: (y) => y.command(child).command(hidden).demandCommand(1),
    handler: () => undefined,
  };
  const [record] = readCommands([parent, hidden]);
  assert.is(record!.subcommands.length, 1);
  assert.is(record!.subcommands[0]!.command, 'child <x>');
  assert.equal(
    record!.subcommands[0]!.positionals.map((p) => p.name),
    ['x'],
  );
  assert.is(readCommands([parent, hidden]).length, 1);
});

test('an object builder is read as options', () => {
  const record = readCommand({ command: 'o', describe: 'd', builder: { flag: { type: 'boolean', describe: 'a flag' } } })!;
  assert.equal(
    record.options.map((o) => [o.name, o.type, o.describe]),
    [['flag', 'boolean', 'a flag']],
  );
});

test('every real CLI command is readable and described', () => {
  const records = readCommands(commands);
  assert.is(records.length, commands.filter((c) => c.describe !== false).length);
  for (const record of records) {
    assert.ok(record.describe.length > 0, `${record.command} has a description`);
    for (const option of [...record.positionals, ...record.options]) assert.type(option.name, 'string');
  }
});

test.run();
