import { readFileSync } from 'node:fs';
import path from 'node:path';

export const fixtureDir = path.resolve(__dirname, '../../fixtures/drbd');

/** A fixture as the tool printed it: the provenance header (leading "# " lines, which no DRBD
 * tool prints first) is dropped. XML fixtures carry theirs as a comment the parser skips. */
export const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8').replace(/^(#( .*)?\n)+/, '');
