// Debian/Ubuntu ifupdown: run-parts runs every executable in /etc/network/if-up.d after an interface
// is up. run-parts only runs names made of [A-Za-z0-9_-] (a ".sh" file is silently skipped).
import { findProgram } from './probe';
import { HOOK_NAME, renderHook } from './script';
import type { RootProbe, StackModule } from './types';

const INTERFACES = '/etc/network/interfaces';

export const ifupdown: StackModule<'ifupdown'> = {
  name: 'ifupdown',
  title: 'Debian ifupdown (/etc/network/if-up.d)',
  files: (options) => [
    {
      path: `/etc/network/if-up.d/${HOOK_NAME}`,
      mode: 0o755,
      content: renderHook(options, {
        protocol: [
          'Debian ifupdown: run-parts runs it with no arguments after an interface is up, with',
          'IFACE, MODE=start, PHASE=post-up, METHOD and ADDRFAM in the environment (and once with IFACE=--all).',
        ],
        body: [
          '# only "up" (if-up.d runs post-up; a copy linked into another phase directory stays quiet)',
          'if [ "${MODE:-start}" != start ] || [ "${PHASE:-post-up}" != post-up ] || [ "${METHOD:-}" = loopback ]; then',
          '\texit 0',
          'fi',
          'ocfkit_reconnect "${IFACE:-}"',
          'exit 0',
        ],
      }),
    },
  ],
  notes: () => [],
  detect: (probe, iface) => {
    const ifup = findProgram(probe, 'ifup');
    const interfaces = probe.read(INTERFACES);
    if (!ifup || interfaces === undefined) return undefined;
    const stanzas = configuredInterfaces(probe, interfaces);
    const others = stanzas.filter((name) => name !== 'lo');
    return {
      strength: others.length > 0 ? 'active' : 'installed',
      reasons: [`${ifup}`, `${INTERFACES}${others.length ? ` configures ${others.join(', ')}` : ' configures no interface but lo'}`],
      ...(iface ? { configuresIface: stanzas.includes(iface) } : {}),
    };
  },
};

/** Interfaces with an `iface NAME` stanza in interfaces(5), following interfaces.d via source-directory. */
function configuredInterfaces(probe: RootProbe, interfaces: string): string[] {
  const texts = [interfaces];
  if (/^\s*source(-directory)?\s+\S*interfaces\.d/m.test(interfaces)) {
    for (const name of probe.list('/etc/network/interfaces.d')) {
      const text = probe.read(`/etc/network/interfaces.d/${name}`);
      if (text !== undefined) texts.push(text);
    }
  }
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(/^\s*iface\s+(\S+)/gm)) names.add(match[1]!);
    for (const match of text.matchAll(/^\s*(?:auto|allow-[a-z]+)\s+(.+)$/gm)) {
      for (const name of match[1]!.trim().split(/\s+/)) names.add(name);
    }
  }
  return [...names];
}
