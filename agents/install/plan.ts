// What `ocfkit install` puts on a node, as a pure plan: the executable under PREFIX/sbin and one
// symlink per agent in $OCF_ROOT/resource.d/ocfkit/. Paths inside the plan are the final paths on
// the node; DESTDIR only changes where they are written (packaging).
import path from 'node:path';

export interface InstallOptions {
  prefix: string;
  ocfRoot: string;
  destdir: string;
  /** symlink targets relative to the link (Debian policy 10.5 within one top-level directory) */
  relativeLinks?: boolean;
  /** files the executable needs beside it (the .cjs bundle's CLI libraries), by base name */
  companions?: readonly string[];
}

export type PlannedFile =
  | { kind: 'executable'; path: string }
  /** copied from beside the source executable */
  | { kind: 'companion'; path: string; name: string }
  | { kind: 'symlink'; path: string; target: string };

export function installPlan(options: InstallOptions, agents: readonly string[]): PlannedFile[] {
  for (const [name, value] of [
    ['--prefix', options.prefix],
    ['--ocf-root', options.ocfRoot],
  ] as const) {
    if (!path.isAbsolute(value)) throw new Error(`${name} must be an absolute path, got "${value}"`);
  }
  const executable = path.join(options.prefix, 'sbin', 'ocfkit');
  return [
    { kind: 'executable', path: executable },
    ...(options.companions ?? []).map((name): PlannedFile => ({ kind: 'companion', path: path.join(path.dirname(executable), name), name })),
    ...agents.map((agent): PlannedFile => {
      const link = path.join(options.ocfRoot, 'resource.d', 'ocfkit', agent);
      return { kind: 'symlink', path: link, target: options.relativeLinks ? path.relative(path.dirname(link), executable) : executable };
    }),
  ];
}

/** Where a planned path is written: under DESTDIR when staging a package. */
export function staged(destdir: string, file: string): string {
  return destdir ? path.join(destdir, file) : file;
}
