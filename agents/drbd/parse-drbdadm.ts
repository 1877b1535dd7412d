// Small drbdadm outputs. `drbdadm cstate r0`: one line per volume (8.4) or per connection without
// peer names (9; ask `drbdadm cstate r0:peer` for one). `drbdadm role r0`: "Primary/Secondary" per
// volume (8.4) or the local role (9). `drbdadm dstate r0`: "local/peer[/peer2...]" per volume.
// `drbdadm sh-resources`: resource names, one per line (9) or on one line (8.4).

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(#|Command |additional info)/.test(l));
}

export function parseCstate(text: string): string[] {
  return lines(text).map((l) => l.split(/\s+/)[0]!);
}

export function parseRole(text: string): Array<{ role: string; peerRole: string | undefined }> {
  return lines(text).map((l) => {
    const [role, peerRole] = l.split(/\s+/)[0]!.split('/');
    return { role: role!, peerRole };
  });
}

export function parseDstate(text: string): Array<{ disk: string; peerDisks: string[] }> {
  return lines(text).map((l) => {
    const [disk, ...peerDisks] = l.split(/\s+/)[0]!.split('/');
    return { disk: disk!, peerDisks };
  });
}

export function parseShResources(text: string): string[] {
  return text.split(/\s+/).filter((word) => /^[A-Za-z0-9_.:+-]+$/.test(word));
}
