// migrate_options: extra `virsh migrate` flags, split into argv words (never handed to a shell)
// and checked against what the local virsh says it supports (`virsh help migrate`). Pure.

/** What an option of `virsh help migrate` takes: nothing, a string or a number. */
export type OptionKind = 'flag' | 'string' | 'number';

/**
 * The OPTIONS section of `virsh help migrate`: "    --live           live migration",
 * "    --parallel-connections <number>  number of ...", "    [--domain] <string>  domain name".
 */
export function parseVirshHelpOptions(help: string): Map<string, OptionKind> {
  const options = new Map<string, OptionKind>();
  const section = /^\s*OPTIONS\s*$([\s\S]*)/m.exec(help)?.[1] ?? '';
  for (const line of section.split('\n')) {
    const m = /^\s+\[?(--[a-z0-9-]+)\]?(?:\s+<(string|number)>)?(?:\s|$)/.exec(line);
    if (m) options.set(m[1]!, (m[2] as OptionKind | undefined) ?? 'flag');
  }
  return options;
}

/**
 * Options the agent sets itself or that would break what it relies on: the guest must be live
 * and keep its name on the target (migrate_from looks for it there), and the agent aborts a
 * migration that runs out of time instead of suspending the guest (--timeout-suspend).
 */
const OWNED: Record<string, string> = {
  '--domain': 'the agent names the guest',
  '--desturi': 'set migration_uri instead',
  '--live': 'the agent always migrates live',
  '--offline': 'the agent migrates a running guest',
  '--migrateuri': 'set migrateuri instead',
  '--bandwidth': 'set migration_speed instead',
  '--suspend': 'the guest must run on the target',
  '--dname': 'the guest must keep its name on the target',
  '--timeout': 'the agent aborts a migration that does not converge before the migrate_to timeout',
  '--timeout-suspend': 'the agent aborts a migration that does not converge before the migrate_to timeout',
  '--timeout-postcopy': 'the agent aborts a migration that does not converge before the migrate_to timeout',
  '--postcopy-resume': 'it recovers a failed post-copy migration by hand; it does not start one',
};

// Characters a shell would have read: the value is never given to one, so they are mistakes.
const SHELLISH = /["'`$\\;|&<>(){}*?]/;

export type MigrateOptionsVerdict = { ok: true; argv: string[] } | { ok: false; reason: string };

/**
 * Splits migrate_options into argv words and checks them. With `supported` (the local virsh's
 * options) an option it does not know is refused; without it only the syntax is checked.
 */
export function checkMigrateOptions(text: string, supported?: Map<string, OptionKind>): MigrateOptionsVerdict {
  const refuse = (why: string): MigrateOptionsVerdict => ({ ok: false, reason: `parameter migrate_options="${text}": ${why}` });
  const bad = SHELLISH.exec(text);
  if (bad) return refuse(`"${bad[0]}" is not allowed: the options are split at spaces, never given to a shell`);
  const words = text.trim().split(/\s+/).filter(Boolean);
  const argv: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : word;
    if (!/^--[a-z0-9][a-z0-9-]*$/.test(name)) return refuse(`"${word}" is not a virsh migrate option (--name or --name value)`);
    if (OWNED[name]) return refuse(`${name} is not allowed: ${OWNED[name]}`);
    let kind: OptionKind | undefined = supported?.get(name);
    if (supported && !kind) return refuse(`${name} is not supported by this node's virsh (virsh help migrate)`);
    let value = eq > 0 ? word.slice(eq + 1) : undefined;
    if (!kind) kind = value !== undefined || (words[i + 1] !== undefined && !words[i + 1]!.startsWith('--')) ? 'string' : 'flag';
    if (kind === 'flag') {
      if (value !== undefined) return refuse(`${name} takes no value`);
      argv.push(name);
    } else {
      if (value === undefined) {
        value = words[i + 1];
        if (value === undefined || value.startsWith('--')) return refuse(`${name} needs a value`);
        i++;
      }
      if (kind === 'number' && !/^\d+$/.test(value)) return refuse(`${name} needs a number, not "${value}"`);
      argv.push(name, value);
    }
    seen.add(name);
  }
  if (seen.has('--postcopy-after-precopy') && !seen.has('--postcopy')) return refuse('--postcopy-after-precopy needs --postcopy');
  if (seen.has('--parallel-connections') && !seen.has('--parallel')) return refuse('--parallel-connections needs --parallel');
  return { ok: true, argv };
}
