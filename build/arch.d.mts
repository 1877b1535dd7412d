// Types for build/arch.mjs, for the tests that run another architecture's executable.
import type { SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';

export interface Arch {
  node: string;
  executable: string;
  deb: string;
  rpm: string;
  strip: string;
  qemu?: string;
  libraries?: string;
}
export const ARCHES: Record<'x64' | 'arm64', Arch>;
export function archFromArgv(argv: string[]): 'x64' | 'arm64';
export function nodeBase(root: string, arch: string): string;
export function launcher(arch: string): { prefix: string[]; env: Record<string, string> };
export function emulationMissing(arch: string): string | undefined;
export function spawnFor(arch: string, file: string, args: string[], options?: SpawnSyncOptions & { encoding: 'utf8' }): SpawnSyncReturns<string>;
