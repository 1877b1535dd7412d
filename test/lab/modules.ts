// Which kernel module files to copy: the requested modules plus everything they depend on, read
// from each .ko's own modinfo "depends=" string (no host kmod needed).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function canonical(name: string): string {
  return name.replace(/-/g, '_');
}

function indexModules(base: string): Map<string, string> {
  const index = new Map<string, string>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(base, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ko')) index.set(canonical(entry.name.slice(0, -3)), child);
    }
  };
  walk('kernel');
  return index;
}

/** Module names listed after "depends=" in the .modinfo section of a .ko file. */
function moduleDepends(ko: Buffer): string[] {
  const match = /(?:^|\0)depends=([^\0]*)\0/.exec(ko.toString('latin1'));
  return match?.[1] ? match[1].split(',').filter(Boolean).map(canonical) : [];
}

/** Paths (relative to /lib/modules/VERSION) of the wanted modules and their dependencies. */
export function moduleClosure(base: string, wanted: string[]): string[] {
  const index = indexModules(base);
  const seen = new Set<string>();
  const pending = wanted.map(canonical);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    const file = index.get(name);
    if (!file) throw new Error(`kernel module ${name} not found under ${base} (built in, or renamed?)`);
    seen.add(name);
    pending.push(...moduleDepends(readFileSync(path.join(base, file))));
  }
  return [...seen].map((name) => index.get(name)!).sort();
}
