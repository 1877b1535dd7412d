// Every CLI command, in --help order. Each module is thin: arguments in, a lazily imported
// function out.
import type { CommandModule } from 'yargs';
import { agentsCommand } from './agents';
import { metaDataCommand } from './meta-data';
import { runCommand } from './run';
import { installCommand, uninstallCommand } from './install';
import { udevCommand } from './udev';
import { drbdCommand } from './drbd';
import { hooksCommand } from './hooks';
import { doctorCommand } from './doctor';

// each command has its own argument types; the list only needs them to be commands
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: Array<CommandModule<any, any>> = [
  agentsCommand,
  metaDataCommand,
  runCommand,
  installCommand,
  uninstallCommand,
  udevCommand,
  drbdCommand,
  hooksCommand,
  doctorCommand,
];
