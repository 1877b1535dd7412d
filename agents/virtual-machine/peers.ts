// Gathering the peer facts: which nodes to ask, asking them all at once, and (only when one could
// not be asked) Pacemaker's view of the nodes. The decision is guards.ts#decidePeers.
import os from 'node:os';
import { lastLine, type Executor } from '../core/executor';
import { ConfigurationError, GenericError, NotInstalledError } from '../core/errors';
import type { DomainRef } from './backend';
import { expandNodeTemplate, parseCrmMonNodes, parseCrmNodeList, parsePeerList, templateNamesNode } from './cluster-facts';
import type { NodeStatus, PeerAnswer } from './guards';
import { normalizeUuid } from './libvirt-xml';

export function localNodeName(onNode: string | undefined): string {
  return onNode ?? os.hostname().split('.')[0]!;
}

/** The peer parameters as one-line configuration errors (checked before every action and at start). */
export function checkPeerParameters(params: { peers?: string | undefined; peer_uri?: string | undefined }): void {
  if (params.peers !== undefined) {
    try {
      parsePeerList(params.peers);
    } catch (error) {
      throw new ConfigurationError(`parameter ${(error as Error).message}`, 'peers');
    }
  }
  if (params.peer_uri !== undefined && !templateNamesNode(params.peer_uri)) {
    throw new ConfigurationError(`parameter peer_uri="${params.peer_uri}" has no %n: every peer would be asked at the same address`, 'peer_uri');
  }
}

export async function listPeers(exec: Executor, explicit: string | undefined, self: string): Promise<string[]> {
  if (explicit !== undefined) {
    checkPeerParameters({ peers: explicit });
    return parsePeerList(explicit).filter((n) => n !== self);
  }
  const result = await exec.run('crm_node', ['-l'], { timeoutMs: 10000 }).catch((error: Error) => {
    if (error instanceof NotInstalledError) throw error;
    return { exitCode: -1, stdout: '', stderr: error.message, argv: ['crm_node', '-l'] };
  });
  const cannot = (why: string) =>
    new GenericError(`cannot list the cluster nodes to ask them; set peers (or peers=none for a single host) (crm_node -l: ${why})`);
  if (result.exitCode !== 0) throw cannot(lastLine(result.stderr) ?? `exit ${result.exitCode}`);
  try {
    return parseCrmNodeList(result.stdout).filter((n) => n !== self);
  } catch (error) {
    throw cannot(`exit 0 but ${(error as Error).message}`);
  }
}

/** "uuid name" lines of `virsh list --uuid --name` (active domains only). */
export function matchActiveDomain(stdout: string, ref: DomainRef): { matchedBy: 'uuid' | 'name'; line: string } | undefined {
  const rows = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [uuid = '', ...rest] = line.split(/\s+/);
      return { uuid: normalizeUuid(uuid), name: rest.join(' '), line };
    });
  if (ref.uuid) {
    const hit = rows.find((r) => r.uuid === ref.uuid);
    if (hit) return { matchedBy: 'uuid', line: hit.line };
  }
  if (ref.name) {
    const hit = rows.find((r) => r.name === ref.name);
    if (hit) return { matchedBy: 'name', line: hit.line };
  }
  return undefined;
}

async function askPeer(exec: Executor, node: string, uriTemplate: string, ref: DomainRef, timeoutMs: number): Promise<PeerAnswer> {
  const uri = expandNodeTemplate(uriTemplate, node);
  try {
    const result = await exec.run('virsh', ['-c', uri, 'list', '--uuid', '--name'], { timeoutMs });
    if (result.exitCode !== 0) {
      const why = lastLine(result.stderr)?.replace(/^error: /, '') ?? `exit ${result.exitCode}`;
      return { node, kind: 'unreachable', uri, error: why };
    }
    const hit = matchActiveDomain(result.stdout, ref);
    if (!hit) return { node, kind: 'absent' };
    return { node, kind: 'running', matchedBy: hit.matchedBy, evidence: `matched by ${hit.matchedBy} in virsh -c ${uri} list: ${hit.line}` };
  } catch (error) {
    if (error instanceof NotInstalledError) throw error;
    return { node, kind: 'unreachable', uri, error: (error as Error).message };
  }
}

/** Every peer at once: a start checking three peers costs one round trip, not three. */
export async function askPeers(exec: Executor, nodes: string[], uriTemplate: string, ref: DomainRef, timeoutMs: number): Promise<PeerAnswer[]> {
  checkPeerParameters({ peer_uri: uriTemplate });
  return Promise.all(nodes.map((node) => askPeer(exec, node, uriTemplate, ref, timeoutMs)));
}

export async function pacemakerNodeStatus(exec: Executor): Promise<NodeStatus[] | undefined> {
  try {
    const result = await exec.run('crm_mon', ['-1', '--output-as=xml'], { timeoutMs: 10000 });
    if (result.exitCode !== 0) return undefined;
    return parseCrmMonNodes(result.stdout);
  } catch {
    return undefined;
  }
}
