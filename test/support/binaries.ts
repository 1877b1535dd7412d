// Paths of the built artefacts and a small synchronous runner for black-box tests.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
export const ocfkitBinary = path.join(repoRoot, 'dist', 'ocfkit');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Ran {
  const result = spawnSync(file, args, { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function ocfkit(args: string[], env: NodeJS.ProcessEnv = {}): Ran {
  return runProgram(ocfkitBinary, args, env);
}

