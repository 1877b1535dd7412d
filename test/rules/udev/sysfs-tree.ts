// A synthetic /sys for unit tests: block/NAME/{uevent,queue/*,md/*} as plain files.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FakeDisk {
  uevent?: Record<string, string>;
  attributes?: Record<string, string>;
}

export function sysfsTree(disks: Record<string, FakeDisk>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-sysfs-'));
  for (const [name, disk] of Object.entries(disks)) {
    const dir = path.join(root, 'block', name);
    mkdirSync(dir, { recursive: true });
    const uevent = { MAJOR: '8', MINOR: '0', DEVNAME: name, DEVTYPE: 'disk', ...disk.uevent };
    writeFileSync(
      path.join(dir, 'uevent'),
      Object.entries(uevent)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    for (const [attribute, value] of Object.entries({ 'queue/read_ahead_kb': '128', 'queue/scheduler': '[mq-deadline] none', ...disk.attributes })) {
      mkdirSync(path.dirname(path.join(dir, attribute)), { recursive: true });
      writeFileSync(path.join(dir, attribute), `${value}\n`);
    }
  }
  mkdirSync(path.join(root, 'block'), { recursive: true });
  return root;
}

export function readAttribute(root: string, name: string, attribute: string): string {
  return readFileSync(path.join(root, 'block', name, attribute), 'utf8').trim();
}

export function writeAttribute(root: string, name: string, attribute: string, value: string): void {
  writeFileSync(path.join(root, 'block', name, attribute), `${value}\n`);
}
