// A RootProbe over a real directory: node paths (/etc/...) are looked up below --root.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RootProbe } from './types';

export function rootProbe(root: string): RootProbe {
  const at = (nodePath: string) => path.join(root, nodePath);
  return {
    // lstat: a symlink counts even when its target lies outside --root (systemd wants/ links)
    exists: (nodePath) => {
      try {
        lstatSync(at(nodePath));
        return true;
      } catch {
        return false;
      }
    },
    isDir: (nodePath) => {
      try {
        return statSync(at(nodePath)).isDirectory();
      } catch {
        return false;
      }
    },
    read: (nodePath) => {
      try {
        return readFileSync(at(nodePath), 'utf8');
      } catch {
        return undefined;
      }
    },
    list: (nodeDir) => {
      try {
        return readdirSync(at(nodeDir)).sort();
      } catch {
        return [];
      }
    },
  };
}

/** The first of `paths` that exists, or undefined. */
function firstExisting(probe: RootProbe, paths: readonly string[]): string | undefined {
  return paths.find((p) => probe.exists(p));
}

/** The program `name` in the usual sbin/bin directories, or undefined. */
export function findProgram(probe: RootProbe, name: string): string | undefined {
  return firstExisting(
    probe,
    ['/usr/sbin', '/sbin', '/usr/bin', '/bin', '/usr/lib/NetworkManager'].map((dir) => `${dir}/${name}`),
  );
}

/** True when a systemd unit is enabled (a wants/ symlink or alias in /etc/systemd/system). */
export function unitEnabled(probe: RootProbe, unit: string): string | undefined {
  return firstExisting(
    probe,
    ['multi-user.target.wants', 'network-online.target.wants', 'graphical.target.wants'].map((t) => `/etc/systemd/system/${t}/${unit}`),
  );
}
