// The file this process runs from: the single executable itself, or the .cjs bundle under Node.
export function runningExecutable(): { path: string; single: boolean } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sea = require('node:sea') as { isSea(): boolean };
    if (sea.isSea()) return { path: process.execPath, single: true };
  } catch {
    // older Node without node:sea: not a single executable
  }
  return { path: process.argv[1] ?? '', single: false };
}
