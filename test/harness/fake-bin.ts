// A directory of fake executables to put first on PATH, with a state directory the fakes keep
// their state in (its path in an environment variable, and also baked into each wrapper so the
// fakes work when started by a program that clears the environment, e.g. Pacemaker). Every call
// is appended to <state>/calls.log. The fakes themselves (drbd, xl, lvm) live in test/fakes/.
import { buildSync } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/binaries';
import { shellQuote } from './proc';
import { freshDir } from './tmp';

export type FakeTool =
  /** the executable's full text (with its #! line) */
  | string
  | { script: string }
  /** a TypeScript/JavaScript file (relative to the repo root or absolute), bundled with esbuild
   *  into one Node script; it sees the tool name in basename(process.argv[1]) */
  | { module: string }
  /** an existing program to run under this name (symlink) */
  | { exec: string };

export interface FakeBinOptions {
  /** files to create in the state dir first: { relativePath: content } */
  initialState?: Record<string, string>;
}

interface FakeCall {
  tool: string;
  args: string[];
}

export interface FakeBin {
  /** the directory to put first on PATH */
  dir: string;
  stateDir: string;
  /** PATH=<dir>:$PATH plus the state variable, for child processes */
  env: NodeJS.ProcessEnv;
  /** every call so far, in order */
  calls(): FakeCall[];
  /** reads a file of the state dir ('' if absent) */
  readState(file: string): string;
  writeState(file: string, content: string): void;
}

const bundles = new Map<string, string>();

function bundle(modulePath: string): string {
  const entry = path.isAbsolute(modulePath) ? modulePath : path.join(repoRoot, modulePath);
  const key = `${entry}@${statSync(entry).mtimeMs}`;
  const cached = bundles.get(key);
  if (cached && existsSync(cached)) return cached;
  const outfile = path.join(freshDir('fake-bundle'), path.basename(entry).replace(/\.[cm]?[jt]s$/, '.cjs'));
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: `#!${process.execPath}` },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  bundles.set(key, outfile);
  return outfile;
}

export function fakeBin(tools: Record<string, FakeTool>, options: FakeBinOptions = {}): FakeBin {
  const stateEnv = 'OCFKIT_FAKE_STATE';
  const base = freshDir('fake-bin');
  const dir = path.join(base, 'bin');
  const impl = path.join(base, 'impl');
  mkdirSync(dir);
  mkdirSync(impl);
  const stateDir = path.join(base, 'state');
  mkdirSync(stateDir, { recursive: true });
  for (const [file, content] of Object.entries(options.initialState ?? {})) {
    mkdirSync(path.dirname(path.join(stateDir, file)), { recursive: true });
    writeFileSync(path.join(stateDir, file), content);
  }
  for (const [name, tool] of Object.entries(tools)) {
    if (name.includes('/')) throw new Error(`fake tool name "${name}" must be a plain file name`);
    let target: string;
    if (typeof tool === 'string' || 'script' in tool) {
      target = path.join(impl, name);
      writeFileSync(target, typeof tool === 'string' ? tool : tool.script);
      chmodSync(target, 0o755);
    } else if ('module' in tool) {
      // a per-name symlink to the bundle keeps argv[1]'s basename = the tool name
      target = path.join(impl, name);
      symlinkSync(bundle(tool.module), target);
    } else {
      target = tool.exec;
    }
    const wrapper = [
      '#!/bin/sh',
      `: "\${${stateEnv}:=${stateDir}}"`,
      `export ${stateEnv}`,
      `{ printf '%s' ${shellQuote(name)}; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\n'; } >> "$${stateEnv}/calls.log"`,
      `exec ${shellQuote(target)} "$@"`,
      '',
    ].join('\n');
    writeFileSync(path.join(dir, name), wrapper);
    chmodSync(path.join(dir, name), 0o755);
  }
  return {
    dir,
    stateDir,
    env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`, [stateEnv]: stateDir },
    calls: () => {
      const log = path.join(stateDir, 'calls.log');
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [tool = '', ...args] = line.split('\x1f');
          return { tool, args };
        });
    },
    readState: (file) => (existsSync(path.join(stateDir, file)) ? readFileSync(path.join(stateDir, file), 'utf8') : ''),
    writeState: (file, content) => {
      mkdirSync(path.dirname(path.join(stateDir, file)), { recursive: true });
      writeFileSync(path.join(stateDir, file), content);
    },
  };
}
