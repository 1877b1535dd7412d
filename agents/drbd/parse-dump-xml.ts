// `drbdadm dump-xml` (8.3, 8.4 and 9): the parsed configuration, the most reliable source of the
// replication addresses. Shapes (see the fixtures printed by drbd-utils in test/fixtures/drbd):
// <config><resource name><host name="a b"> (several names on one `on` section; a stacked resource's
// host carries the lower resource's names) or <host floating="1"> (matched by address) with
// <volume vnr><device minor>, <address family port>; 8.3 has <device>/dev/drbd0</device> directly in
// the host; 9 adds <connection> with <host name><address/></host> pairs or several <path> of them.
// 9 prints no node ids (they live in `drbdsetup status --json` and events2), ignores connection
// names, and prints a host without its own address as family="(null)" ... (null): no address.
// Unknown elements are ignored.
import { makeAddress } from './address';
import type { Address } from './types';
import { childrenNamed, firstChild, parseXml, type XmlElement } from '../core/xml';

export interface ConfigVolume {
  volume: number;
  minor: number | undefined;
  device: string;
  disk: string;
}

export interface ConfigHost {
  /** names of the `on` section (empty for floating) */
  names: string[];
  floating: boolean;
  address: Address | undefined;
  volumes: ConfigVolume[];
}

export interface ConfigEndpoint {
  host: string;
  address: Address | undefined;
}

interface ConfigConnection {
  /** each path is a list of host/address pairs (normally two) */
  paths: ConfigEndpoint[][];
}

export interface ConfigResource {
  name: string;
  /** "file:line" of the resource's definition */
  definedAt: string | undefined;
  hosts: ConfigHost[];
  connections: ConfigConnection[];
}

export function parseDumpXml(text: string, what = 'drbdadm dump-xml'): ConfigResource[] {
  const doc = parseXml(text, what);
  const resources: XmlElement[] = [];
  const collect = (el: XmlElement) => {
    for (const child of el.children) {
      if (child.name === 'resource') resources.push(child);
      else collect(child);
    }
  };
  collect(doc);
  return resources.map(resourceOf);
}

function resourceOf(el: XmlElement): ConfigResource {
  const shared = childrenNamed(el, 'volume').map(volumeOf);
  const hosts = childrenNamed(el, 'host').map((h) => hostOf(h, shared));
  const connections = childrenNamed(el, 'connection').map((c) => {
    const paths = childrenNamed(c, 'path').map(endpointsOf);
    const direct = endpointsOf(c);
    return { paths: paths.length ? paths : direct.length ? [direct] : [] };
  });
  return { name: el.attributes.name ?? '', definedAt: el.attributes['conf-file-line'], hosts, connections };
}

function hostOf(el: XmlElement, shared: ConfigVolume[]): ConfigHost {
  const volumes = childrenNamed(el, 'volume').map(volumeOf);
  const legacyDevice = firstChild(el, 'device');
  if (!volumes.length && legacyDevice) {
    volumes.push({ volume: 0, minor: minorOf(legacyDevice), device: legacyDevice.text.trim(), disk: firstChild(el, 'disk')?.text.trim() ?? '' });
  }
  return {
    names: (el.attributes.name ?? '').split(/\s+/).filter(Boolean),
    floating: el.attributes.floating === '1',
    address: addressOf(firstChild(el, 'address')),
    volumes: volumes.length ? volumes : shared,
  };
}

function volumeOf(el: XmlElement): ConfigVolume {
  const device = firstChild(el, 'device');
  return {
    volume: Number(el.attributes.vnr ?? 0),
    minor: device ? minorOf(device) : undefined,
    device: device?.text.trim() ?? '',
    disk: firstChild(el, 'disk')?.text.trim() ?? '',
  };
}

function minorOf(device: XmlElement): number | undefined {
  if (device.attributes.minor !== undefined) return Number(device.attributes.minor);
  const m = /(?:drbd|minor-)(\d+)$/.exec(device.text.trim());
  return m ? Number(m[1]) : undefined;
}

function endpointsOf(el: XmlElement): ConfigEndpoint[] {
  return childrenNamed(el, 'host').map((h) => ({ host: h.attributes.name ?? '', address: addressOf(firstChild(h, 'address')) }));
}

/** what 9's dump-xml prints for an address the host section does not set (C's printf of NULL) */
const UNSET = '(null)';

function addressOf(el: XmlElement | undefined): Address | undefined {
  const text = el?.text.trim();
  if (!el || !text || text === UNSET || el.attributes.family === UNSET) return undefined;
  return makeAddress(el.attributes.family ?? 'ipv4', el.text, el.attributes.port ?? '0');
}
