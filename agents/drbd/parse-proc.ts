// /proc/drbd of DRBD 8.0-8.4 (and 9.2.15+ for resources in 8.4 compatibility mode).
// Traps: the protocol letter is a space without a network config (StandAlone shows three spaces);
// blank lines where minors skip; 8.0 wrote "st:" for the roles; sync progress and statistics lines
// follow device lines; DRBD 9 prints only version lines. Unknown lines are ignored.
import { parseProcVersion } from './parse-version';
import type { DrbdVersion } from './types';

export interface ProcDevice {
  minor: number;
  cstate: string;
  role: string;
  peerRole: string;
  disk: string;
  peerDisk: string;
  /** A, B, C, or undefined without a network configuration */
  protocol: string | undefined;
  /** the sync/verify progress text when a sync line follows ("sync'ed: 15.2%") */
  progress?: string;
}

export interface ProcDrbd {
  version: DrbdVersion | undefined;
  devices: ProcDevice[];
}

const DEVICE = /^\s*(\d+):\s+cs:(\S+)(.*)$/;

export function parseProcDrbd(text: string): ProcDrbd {
  const devices: ProcDevice[] = [];
  let last: ProcDevice | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/ \(compat 8\.4\)/, '');
    const m = DEVICE.exec(line);
    if (m) {
      last = deviceLine(Number(m[1]), m[2]!, m[3]!);
      devices.push(last);
      continue;
    }
    const progress = /(sync'ed|verified):\s*([\d.]+%)/.exec(line);
    if (progress && last) last.progress = `${progress[1]}: ${progress[2]}`;
  }
  return { version: parseProcVersion(text), devices };
}

function deviceLine(minor: number, cstate: string, rest: string): ProcDevice {
  const device: ProcDevice = { minor, cstate, role: 'Unknown', peerRole: 'Unknown', disk: 'Unconfigured', peerDisk: 'DUnknown', protocol: undefined };
  if (cstate === 'Unconfigured') return device;
  const roles = /\b(?:ro|st):(\w+)\/(\w+)/.exec(rest);
  if (roles) [device.role, device.peerRole] = [roles[1]!, roles[2]!];
  const disks = /\bds:(\w+)\/(\w+)/.exec(rest);
  if (disks) [device.disk, device.peerDisk] = [disks[1]!, disks[2]!];
  // After ds:X/Y comes " P flags": the protocol is one letter, or a space when there is no net config.
  const protocol = /\bds:\S+ ([A-C ]) /.exec(rest);
  if (protocol && protocol[1] !== ' ') device.protocol = protocol[1];
  return device;
}
