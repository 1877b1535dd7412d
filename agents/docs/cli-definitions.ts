// Reads the CLI's yargs command modules without running yargs: each builder is called with a
// recorder that notes its positionals, options and subcommands. ocfkit(8) is rendered from this,
// so the man page shows exactly the describe texts and defaults that `--help` shows.
import type { CommandModule } from 'yargs';

export interface CliOption {
  name: string;
  type?: string;
  /** given several times (yargs `array: true` or type "array") */
  array: boolean;
  describe?: string;
  default?: unknown;
  aliases: string[];
  choices?: readonly unknown[];
  required: boolean;
}

export interface CliCommand {
  /** the yargs command string, e.g. "meta-data <agent>" */
  command: string;
  describe: string;
  positionals: CliOption[];
  options: CliOption[];
  subcommands: CliCommand[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = Pick<CommandModule<any, any>, 'command' | 'describe' | 'builder'>;
type OptionInput = Record<string, unknown>;

export function readCommand(module: AnyModule): CliCommand | undefined {
  const describe = module.describe;
  // yargs hides commands whose description is false
  if (describe === false) return undefined;
  const command = Array.isArray(module.command) ? module.command[0] : module.command;
  if (typeof command !== 'string') throw new Error('a CLI command module has no command string');
  const record: CliCommand = { command, describe: describe ?? '', positionals: [], options: [], subcommands: [] };
  const builder = module.builder as unknown;
  if (typeof builder === 'function') {
    builder(recorder(record));
  } else if (builder && typeof builder === 'object') {
    for (const [name, options] of Object.entries(builder as Record<string, OptionInput>)) addOption(record.options, name, options);
  }
  return record;
}

export function readCommands(modules: readonly AnyModule[]): CliCommand[] {
  return modules.map(readCommand).filter((command): command is CliCommand => command !== undefined);
}

/** A stand-in for yargs' Argv that records what a builder declares and ignores the rest. */
function recorder(record: CliCommand): unknown {
  const proxy: unknown = new Proxy(
    {},
    {
      get(_target, property) {
        switch (property) {
          case 'option':
          case 'options':
            return (name: string | Record<string, OptionInput>, options?: OptionInput) => {
              if (typeof name === 'string') addOption(record.options, name, options ?? {});
              else for (const [key, value] of Object.entries(name)) addOption(record.options, key, value);
              return proxy;
            };
          case 'positional':
            return (name: string, options?: OptionInput) => {
              addOption(record.positionals, name, options ?? {});
              return proxy;
            };
          case 'command':
            return (...args: unknown[]) => {
              for (const module of subcommandModules(args)) {
                const sub = readCommand(module);
                if (sub) record.subcommands.push(sub);
              }
              return proxy;
            };
          case 'then':
            return undefined; // not a promise
          default:
            return () => proxy;
        }
      },
    },
  );
  return proxy;
}

function subcommandModules(args: unknown[]): AnyModule[] {
  const [first, describe, builder] = args;
  if (Array.isArray(first)) return first as AnyModule[];
  if (first && typeof first === 'object') return [first as AnyModule];
  return [{ command: first as string, describe: describe as string, builder: builder as AnyModule['builder'] }];
}

function addOption(list: CliOption[], name: string, options: OptionInput): void {
  if (options.hidden === true) return;
  const alias = options.alias;
  const describe = options.describe ?? options.description ?? options.desc;
  list.push({
    name,
    type: typeof options.type === 'string' && options.type !== 'array' ? options.type : undefined,
    array: options.array === true || options.type === 'array',
    describe: typeof describe === 'string' ? describe : undefined,
    default: options.default,
    aliases: alias === undefined ? [] : Array.isArray(alias) ? alias.map(String) : [String(alias)],
    choices: Array.isArray(options.choices) ? options.choices : undefined,
    required: options.demandOption !== undefined && options.demandOption !== false,
  });
}
