import { readFileSync } from 'node:fs';
import path from 'node:path';

export const fixtureDir = path.resolve(__dirname, '../../fixtures/drbd');
export const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8');
