// Small, reusable needs for integrationSuite(): each returns undefined when met, else why not.
import { existsSync } from 'node:fs';
import type { Need } from './integration';
import { onPath } from './binaries';

export function binary(name: string): Need {
  return { what: `${name} on PATH`, check: () => (onPath(name) ? undefined : `${name} is not installed`) };
}

export function file(path: string): Need {
  return { what: path, check: () => (existsSync(path) ? undefined : `${path} does not exist`) };
}

export const root: Need = {
  what: 'root',
  check: () => (process.getuid?.() === 0 ? undefined : 'the suite must run as root'),
};
