// Replication addresses as DRBD prints them: "ipv4:10.1.1.31:7000" (events2), "[fd01::1]:7789",
// "fe80::1%veth0" (a scope names the interface), and the same address written differently
// (fd01:0::1 vs fd01::1) must compare equal.
import type { Address } from './types';

export function makeAddress(family: string, text: string, port: number | string): Address {
  let address = text.trim().replace(/^\[|\]$/g, '');
  let scope: string | undefined;
  const percent = address.indexOf('%');
  if (percent >= 0) {
    scope = address.slice(percent + 1);
    address = address.slice(0, percent);
  }
  const result: Address = { family: family || 'ipv4', address, port: Number(port) || 0 };
  if (scope) result.scope = scope;
  return result;
}

/** "ipv4:10.1.1.31:7000", "ipv6:[fd01::1]:7000", "10.1.1.31:7000" or "[fd01::1]:7000". */
export function parseAddressText(text: string): Address | undefined {
  let rest = text.trim();
  let family = '';
  const fam = /^(ipv4|ipv6|ssocks|sdp|ib):(.*)$/.exec(rest);
  if (fam) [family, rest] = [fam[1]!, fam[2]!];
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(rest);
  if (bracketed) return makeAddress(family || 'ipv6', bracketed[1]!, bracketed[2]!);
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return undefined;
  const host = rest.slice(0, colon);
  const port = rest.slice(colon + 1);
  if (!/^\d+$/.test(port) || host === '') return undefined;
  return makeAddress(family || (host.includes(':') ? 'ipv6' : 'ipv4'), host, port);
}

/** Canonical text of an IP address (IPv6 expanded and lower-case) for comparisons. */
export function canonicalIp(ip: string): string {
  const bare = ip
    .trim()
    .replace(/^\[|\]$/g, '')
    .split('%')[0]!
    .toLowerCase();
  if (!bare.includes(':')) return bare;
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // an embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups
  const groups = (parts: string[]) => parts.flatMap((p) => (p.includes('.') ? ipv4Groups(p) : [p]));
  const l = groups(left);
  const r = groups(right);
  const zeros = tail === undefined ? [] : new Array(Math.max(0, 8 - l.length - r.length)).fill('0');
  return [...l, ...zeros, ...r].map((g) => (parseInt(g, 16) || 0).toString(16)).join(':');
}

function ipv4Groups(text: string): string[] {
  const b = text.split('.').map(Number);
  return [(((b[0] ?? 0) << 8) | (b[1] ?? 0)).toString(16), (((b[2] ?? 0) << 8) | (b[3] ?? 0)).toString(16)];
}

export function sameIp(a: string, b: string): boolean {
  return canonicalIp(a) === canonicalIp(b);
}

export function formatAddress(a: Address | undefined): string {
  if (!a) return '?';
  const host = a.address.includes(':') ? `[${a.address}${a.scope ? `%${a.scope}` : ''}]` : a.address;
  return `${host}:${a.port}`;
}
