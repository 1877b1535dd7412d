// Builds a node's root file system in a temporary directory: files (content), executables (empty,
// 0755) and symlinks, by node path.
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Entry = string | { mode: number; content?: string } | { link: string };

export function fakeRoot(entries: Record<string, Entry>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-hooks-root-'));
  addToRoot(root, entries);
  return root;
}

export function addToRoot(root: string, entries: Record<string, Entry>): void {
  for (const [nodePath, entry] of Object.entries(entries)) {
    const at = path.join(root, nodePath);
    mkdirSync(path.dirname(at), { recursive: true });
    if (typeof entry === 'string') writeFileSync(at, entry);
    else if ('link' in entry) symlinkSync(entry.link, at);
    else {
      writeFileSync(at, entry.content ?? '');
      chmodSync(at, entry.mode);
    }
  }
}

export const program = { mode: 0o755, content: '#!/bin/sh\n' };

/** Typical roots, one per stack. */
export const NODES = {
  debian: {
    '/usr/sbin/ifup': program,
    '/etc/network/interfaces': 'auto lo\niface lo inet loopback\n\nsource /etc/network/interfaces.d/*\n',
    '/etc/network/interfaces.d/eth1': 'auto eth1\niface eth1 inet static\n  address 10.1.1.31/24\n',
  },
  sles11: {
    '/sbin/ifup': program,
    '/etc/sysconfig/network/scripts/functions': '',
    '/etc/sysconfig/network/config': "GLOBAL_POST_UP_EXEC='no'\n",
    '/etc/sysconfig/network/ifcfg-lo': "STARTMODE='nfsroot'\n",
    '/etc/sysconfig/network/ifcfg-eth1': "BOOTPROTO='static'\nSTARTMODE='nfsroot'\nIPADDR='10.1.1.31/24'\n",
  },
  sles15: {
    '/usr/sbin/wicked': program,
    '/sbin/ifup': { link: '/usr/sbin/wicked' },
    '/etc/sysconfig/network/scripts/functions': '',
    '/etc/systemd/system/multi-user.target.wants/wicked.service': { link: '/usr/lib/systemd/system/wicked.service' },
    '/etc/sysconfig/network/ifcfg-eth1': "BOOTPROTO='static'\nSTARTMODE='auto'\nIPADDR='10.1.1.31/24'\n",
  },
  rhel7: {
    '/etc/sysconfig/network-scripts/ifup-post': program,
    '/etc/sysconfig/network-scripts/ifcfg-eth1': 'DEVICE=eth1\nBOOTPROTO=none\nIPADDR=10.1.1.31\nNM_CONTROLLED=no\n',
    '/etc/sysconfig/network-scripts/ifcfg-lo': 'DEVICE=lo\n',
    '/usr/sbin/NetworkManager': program,
  },
  rhel9: {
    '/usr/sbin/NetworkManager': program,
    '/etc/systemd/system/multi-user.target.wants/NetworkManager.service': { link: '/usr/lib/systemd/system/NetworkManager.service' },
    '/etc/NetworkManager/system-connections/repl.nmconnection': '[connection]\nid=repl\ntype=ethernet\ninterface-name=eth1\n',
  },
  ubuntu: {
    '/usr/bin/networkd-dispatcher': program,
    '/etc/systemd/system/multi-user.target.wants/systemd-networkd.service': { link: '/usr/lib/systemd/system/systemd-networkd.service' },
    '/etc/systemd/network/10-eth1.network': '[Match]\nName=eth1 eth2\n\n[Network]\nAddress=10.1.1.31/24\n',
  },
} satisfies Record<string, Record<string, Entry>>;
