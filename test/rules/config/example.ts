// The shipped example config and its commented examples made live, as an admin would do it:
// delete "devices: []" and remove the leading "# " of the example lines.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const EXAMPLE = path.join(__dirname, '../../../rules/config/ocfkit.example.yaml');

export function uncommentedExample(): string {
  const lines = readFileSync(EXAMPLE, 'utf8').split('\n');
  const start = lines.indexOf('  # devices:');
  if (start < 0) throw new Error('the example has no commented "devices:" block');
  return lines
    .filter((line) => line !== '  devices: []')
    .map((line, i) => (i >= start - 1 && line.startsWith('  # ') ? `  ${line.slice(4)}` : line === '  #' ? '' : line))
    .join('\n');
}
