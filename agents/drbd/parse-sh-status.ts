// `drbdsetup sh-status <res>` (8.4 userland only): shell assignments, one block per volume starting
// at _minor=, ended by the word _sh_status_process. Values may be single-quoted.
export interface ShStatusVolume {
  minor: number;
  resource: string;
  volume: number;
  known: string;
  cstate: string;
  role: string;
  peerRole: string;
  disk: string;
  peerDisk: string;
  /** every other assignment, unparsed */
  extra: Record<string, string>;
}

const KNOWN: Record<string, keyof ShStatusVolume> = {
  _res_name: 'resource',
  _known: 'known',
  _cstate: 'cstate',
  _role: 'role',
  _peer: 'peerRole',
  _disk: 'disk',
  _pdsk: 'peerDisk',
};

export function parseShStatus(text: string): ShStatusVolume[] {
  const volumes: ShStatusVolume[] = [];
  let current: ShStatusVolume | undefined;
  for (const raw of text.split('\n')) {
    const m = /^\s*(_[a-z0-9_]+)=(.*)$/.exec(raw);
    if (!m) continue;
    const key = m[1]!;
    const value = unquote(m[2]!.trim());
    if (key === '_minor') {
      current = { minor: Number(value), resource: '', volume: 0, known: '', cstate: 'Unconfigured', role: 'Unknown', peerRole: 'Unknown', disk: 'Unconfigured', peerDisk: 'DUnknown', extra: {} };
      volumes.push(current);
      continue;
    }
    if (!current) continue;
    if (key === '_volume') current.volume = Number(value) || 0;
    else if (KNOWN[key]) (current as unknown as Record<string, string>)[KNOWN[key]!] = value;
    else current.extra[key] = value;
  }
  return volumes;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.endsWith(value[0])) return value.slice(1, -1);
  return value;
}
