// Finding a program the way a shell would, without running it: a name with a slash is taken as
// it is, any other name is looked for in each directory of PATH. Only an executable regular file
// counts (a directory or a non-executable file of that name does not).
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** The path of `name` (as given if it contains '/', else found on `pathVariable`), or undefined. */
export function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  if (name.includes('/')) return isExecutableFile(name) ? name : undefined;
  for (const dir of (pathVariable ?? '').split(':')) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
