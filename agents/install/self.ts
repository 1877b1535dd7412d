// The file this process runs from: the single executable itself, or the .cjs bundle under Node.
import { isSea } from 'node:sea';

export function runningExecutable(): { path: string; single: boolean } {
  if (isSea()) return { path: process.execPath, single: true };
  return { path: process.argv[1] ?? '', single: false };
}
