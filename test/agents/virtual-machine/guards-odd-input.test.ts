// Every guard refuses when its input is odd: one table per guard, each row an input that once let a
// start through (nobody asked, a peer counted as down, a disk never looked at). Tool output is
// captured from the real tool where one runs here (crm_mon on a CIB file), else written in the
// format the tool prints (each table says which); odd rows are odd on purpose. The disks the
// storage guard judges are resolved as disks.test.ts shows.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCrmMonNodes } from '../../../agents/virtual-machine/cluster-facts';
import { decideLockManager, decidePeers, decideStorage, type DiskRoleFact, type Handoff, type PeerAnswer } from '../../../agents/virtual-machine/guards';
import { procDrbdRoles, statusJsonRoles } from '../../../agents/virtual-machine/drbd-role';
import { parseStatusJson } from '../../../agents/drbd/parse-status-json';
import { lockManagerFact } from '../../../agents/virtual-machine/lock-manager';
import { askPeers, checkPeerParameters, listPeers } from '../../../agents/virtual-machine/peers';
import { runAgent } from '../../../agents/ocf/runner';
import { virtualMachineAgent } from '../../../agents/virtual-machine/spec';
import { fakeExecutor } from '../../support/fake-executor';

const test = suite('virtual-machine guards: odd inputs');

const CRM_MON = readFileSync('test/fixtures/pacemaker/crm_mon-nodes-offline-unclean-pending.xml', 'utf8');

test('crm_node -l: only a list it can read, naming at least one node, is a peer list', async () => {
  // [name, stdout of `crm_node -l` with exit 0, peers of node1 or the refusal]
  const cases: Array<[string, string, string[] | RegExp]> = [
    ['Pacemaker 2.x, three nodes (one lost)', '1 node1 member\n2 node2 member\n3 node3 lost\n', ['node2', 'node3']],
    ['only this node', '1 node1 member\n', []],
    ['name and state only', 'node1 member\nnode2 member\n', ['node2']],
    [
      'nothing at all',
      '',
      /^cannot list the cluster nodes to ask them; set peers \(or peers=none for a single host\) \(crm_node -l: exit 0 but no node listed\)$/,
    ],
    ['blank lines only', '\n\n', /exit 0 but no node listed/],
    ['a node without a name', '1 node1 member\n3 lost\n', /exit 0 but a line it cannot read: "3 lost"/],
    ['an id as the name', '1 2 member\n', /a line it cannot read: "1 2 member"/],
    ['XML instead of text', '<pacemaker-result api-version="2.25" request="crm_node -l">\n  <nodes>\n', /a line it cannot read: "<pacemaker-result/],
    ['a message instead of a list', 'Could not connect to the controller, trying again\n1 node1 member\n', /a line it cannot read: "Could not connect/],
  ];
  for (const [name, stdout, expected] of cases) {
    const exec = fakeExecutor([{ match: ['crm_node', '-l'], answer: { stdout } }]);
    const outcome = await listPeers(exec, undefined, 'node1').then(
      (nodes) => nodes,
      (error: Error) => error,
    );
    if (Array.isArray(expected)) assert.equal(outcome, expected, name);
    else {
      assert.instance(outcome, Error, name);
      assert.match((outcome as Error).message, expected, name);
      assert.not.match((outcome as Error).message, /\n/, `${name}: one line`);
    }
  }
});

test('peers parameter: a value that names nobody is a configuration error naming peers', async () => {
  const cases: Array<[string, string[] | RegExp]> = [
    ['node2, node3  node4', ['node2', 'node3', 'node4']],
    ['none', []],
    ['node1,node2', ['node2']],
    [' ', /^parameter peers=" " names no node; list the other nodes, or set peers=none for a single host$/],
    [',', /^parameter peers="," names no node/],
    [' , ,', /names no node/],
    ['none node2', /^parameter peers="none node2" mixes "none" with node names$/],
  ];
  for (const [peers, expected] of cases) {
    // crm_node is never asked when peers is set
    const outcome = await listPeers(fakeExecutor([]), peers, 'node1').then(
      (nodes) => nodes,
      (error: Error & { parameter?: string }) => error,
    );
    if (Array.isArray(expected)) assert.equal(outcome, expected, peers);
    else {
      assert.match((outcome as Error).message, expected, peers);
      assert.is((outcome as Error & { parameter?: string }).parameter, 'peers', peers);
    }
  }
});

test('peer_uri: a template without %n is a configuration error naming peer_uri', async () => {
  const cases: Array<[string, boolean]> = [
    ['qemu+ssh://%n/system', true],
    ['qemu+tls://%n.example.net/system', true],
    ['test:///srv/peers/%n.xml', true],
    ['qemu+ssh://node2/system', false],
    ['test:///srv/peers/all.xml', false],
    ['qemu+ssh://%%n/system', false],
    ['qemu+ssh://%N/system', false],
  ];
  for (const [uri, accepted] of cases) {
    let error: (Error & { parameter?: string }) | undefined;
    try {
      checkPeerParameters({ peer_uri: uri });
    } catch (e) {
      error = e as Error;
    }
    assert.is(error === undefined, accepted, uri);
    if (error) {
      assert.is(error.parameter, 'peer_uri', uri);
      assert.match(error.message, new RegExp(`^parameter peer_uri="${uri.replace(/[+.%/]/g, '\\$&')}" has no %n`), uri);
    }
  }
  // also when the guard runs: no peer is asked through such a template
  const exec = fakeExecutor([]);
  const asked = await askPeers(exec, ['node2'], 'qemu+ssh://node2/system', { name: 'vm1' }, 1000).then(
    () => 'asked',
    (e: Error) => e.message,
  );
  assert.match(asked, /peer_uri="qemu\+ssh:\/\/node2\/system" has no %n/);
  assert.equal(exec.commands(), []);
});

test('validate-all and start: peers or peer_uri naming nobody is ERR_CONFIGURED with one line naming the parameter', async () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['validate-all', { OCF_RESKEY_peers: ' ' }, /^parameter peers=" " names no node/],
    ['start', { OCF_RESKEY_peers: ',' }, /^parameter peers="," names no node/],
    ['validate-all', { OCF_RESKEY_peer_uri: 'qemu+ssh://node2/system' }, /^parameter peer_uri="qemu\+ssh:\/\/node2\/system" has no %n/],
    ['start', { OCF_RESKEY_peer_uri: 'qemu+ssh://node2/system' }, /has no %n/],
  ];
  for (const [action, env, reason] of cases) {
    const exec = fakeExecutor([]);
    const result = await runAgent(virtualMachineAgent, [action], {
      env: { OCF_ROOT: '/usr/lib/ocf', OCF_RESOURCE_INSTANCE: 'vm1', OCF_RESKEY_name: 'vm1', OCF_RESKEY_CRM_meta_on_node: 'node1', ...env },
      stdout: () => undefined,
      stderr: () => undefined,
      executor: () => exec,
    });
    assert.is(result.code, 6, `${action} ${JSON.stringify(env)}`);
    assert.match(result.reason ?? '', reason, action);
    assert.not.match(result.reason ?? '', /\n/, action);
    assert.equal(exec.commands(), [], `${action}: nothing run`);
  }
});

test('crm_mon: only online="false" unclean="false", not pending, proves a peer that cannot be asked is down', () => {
  const unreachable = (node: string): PeerAnswer => ({ node, kind: 'unreachable', uri: `qemu+ssh://${node}/system`, error: 'Connection refused' });
  const real = parseCrmMonNodes(CRM_MON);
  const derived = (attributes: string) =>
    parseCrmMonNodes(
      `<pacemaker-result api-version="2.25" request="crm_mon -1 --output-as=xml">\n  <nodes>\n    <node name="node2" id="2" ${attributes} type="member"/>\n  </nodes>\n</pacemaker-result>\n`,
    );
  // [name, Pacemaker's view of node2 (or another node), allowed, reason]
  const cases: Array<[string, string, ReturnType<typeof parseCrmMonNodes>, boolean, RegExp?]> = [
    ['offline and clean (captured)', 'node2', real, true],
    ['offline and unclean (captured)', 'node3', real, false, /^cannot ask node3 whether it runs the guest and Pacemaker reports it offline but unclean/],
    ['pending (captured)', 'node4', real, false, /^cannot ask node4 whether it runs the guest and Pacemaker reports it pending \(joining\)/],
    ['online (captured)', 'node1', real, false, /reports it online/],
    ['pending, offline and clean', 'node2', derived('online="false" pending="true" unclean="false"'), false, /pending/],
    ['no online attribute', 'node2', derived('pending="false" unclean="false"'), false, /Pacemaker does not say it is offline and clean/],
    ['no unclean attribute', 'node2', derived('online="false" pending="false"'), false, /does not say it is offline and clean/],
    ['no attributes at all', 'node2', derived(''), false, /does not say it is offline and clean/],
    ['a spelling crm_mon does not use', 'node2', derived('online="no" pending="false" unclean="no"'), false, /does not say it is offline and clean/],
    [
      'no <nodes> section',
      'node2',
      parseCrmMonNodes('<pacemaker-result api-version="2.25" request="crm_mon -1 --output-as=xml">\n  <status code="0" message="OK"/>\n</pacemaker-result>\n'),
      false,
      /Pacemaker does not know the node/,
    ],
  ];
  for (const [name, node, status, allowed, reason] of cases) {
    const verdict = decidePeers([unreachable(node)], status);
    assert.is(verdict.ok, allowed, name);
    if (!verdict.ok && reason) assert.match(verdict.reason, reason, name);
  }
});

test('DRBD: a peer not seen over a known connected state may be Primary; handoff-only refuses', () => {
  // /proc/drbd lines in DRBD 8.4's format (the format of the reference's example and of
  // test/fixtures/drbd/proc-8.4.txt); the disk is minor 0 on every line
  const proc = (line: string): DiskRoleFact => ({
    disk: '/dev/drbd0',
    device: 'drbd0',
    ...procDrbdRoles(`version: 8.4.11 (api:1/proto:86-101)\nsrcversion: 2BA8C7A2B2A4CBC2A2F1F2E\n${line}\n`).get(0)!,
  });
  // `drbdsetup status --json` of DRBD 9 (key layout of test/fixtures/drbd/status-9.json), resource r0
  const json = (connections: string): DiskRoleFact => {
    const text = `[{"name":"r0","node-id":0,"role":"Primary","suspended":false,"devices":[{"volume":0,"minor":1,"disk-state":"UpToDate","client":false,"open":true,"quorum":true}],"connections":[${connections}]}]`;
    const roles = statusJsonRoles(parseStatusJson(text), { resource: 'r0' })!;
    return { disk: '/dev/drbd/by-res/r0/0', device: 'r0', local: roles.local, peers: roles.peers };
  };
  const connection = (state: string, role: string, peerDisk: string) =>
    `{"peer-node-id":1,"name":"bob","connection-state":"${state}","peer-role":"${role}","peer_devices":[{"volume":0,"replication-state":"Off","peer-disk-state":"${peerDisk}"}]}`;
  const atTarget: Handoff = { role: 'target', source: 'node2', target: 'node1' };
  // [name, disk, refusal under handoff-only outside a handoff (undefined: allowed)]
  const cases: Array<[string, DiskRoleFact, RegExp | undefined]> = [
    ['8.4 connected, peer Secondary', proc(' 0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----'), undefined],
    ['8.4 syncing, peer Secondary', proc(' 0: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----'), undefined],
    [
      '8.4 StandAlone',
      proc(' 0: cs:StandAlone ro:Primary/Unknown ds:UpToDate/DUnknown   r-----'),
      /^disk \/dev\/drbd0 \(drbd0\): peer role unknown \(StandAlone, peer disk DUnknown\), cannot prove it is not Primary/,
    ],
    ['8.4 waiting for the peer', proc(' 0: cs:WFConnection ro:Primary/Unknown ds:UpToDate/DUnknown C r-----'), /peer role unknown \(WFConnection/],
    ['8.4 peer outdated by fencing', proc(' 0: cs:WFConnection ro:Primary/Unknown ds:UpToDate/Outdated C r-----'), undefined],
    [
      '8.4 a connection state DRBD may add',
      proc(' 0: cs:Handshaking ro:Primary/Secondary ds:UpToDate/UpToDate C r-----'),
      /peer role unknown \(Handshaking, peer disk UpToDate\)/,
    ],
    ['9 connected, peer Secondary', json(connection('Connected', 'Secondary', 'UpToDate')), undefined],
    [
      '9 StandAlone',
      json(connection('StandAlone', 'Unknown', 'DUnknown')),
      /^disk \/dev\/drbd\/by-res\/r0\/0 \(r0\): peer role unknown \(StandAlone, peer disk DUnknown\)/,
    ],
    ['9 no connections', json(''), /^disk \/dev\/drbd\/by-res\/r0\/0 \(r0\) has no DRBD connection: cannot prove no peer is Primary/],
    ['9 connecting', json(connection('Connecting', 'Unknown', 'DUnknown')), /peer role unknown \(Connecting/],
    ['9 a state DRBD may add, peer said Secondary', json(connection('Negotiating', 'Secondary', 'UpToDate')), /peer role unknown \(Negotiating/],
    ['9 peer outdated by fencing', json(connection('Connecting', 'Unknown', 'Outdated')), undefined],
    ['9 Primary over an unknown state still counts', json(connection('Negotiating', 'Primary', 'UpToDate')), /Primary on the peer too/],
  ];
  for (const [name, disk, refusal] of cases) {
    const verdict = decideStorage([disk], 'handoff-only');
    assert.is(verdict.ok, refusal === undefined, name);
    if (!verdict.ok && refusal) {
      assert.match(verdict.reason, refusal, name);
      assert.not.match(verdict.reason, /\n/, name);
    }
    // permanently dual-primary storage, and a live-migration handoff, accept a peer that may be Primary
    assert.ok(decideStorage([disk], 'allowed').ok, `${name} (allowed)`);
    assert.ok(decideStorage([disk], 'handoff-only', atTarget).ok, `${name} (handoff)`);
  }
});

/** A Unix socket file left behind by a daemon killed with SIGKILL: the file exists, nobody listens. */
async function staleSocket(file: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(file)}, () => console.log('up'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  assert.ok(existsSync(file), 'the socket file outlives its daemon');
}

test('lock manager: a socket file nobody listens on is not a running daemon', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-lockd-'));
  const server = net.createServer();
  try {
    const conf = path.join(dir, 'qemu.conf');
    writeFileSync(conf, '# lock_manager = "sanlock"\nlock_manager = "lockd"\n');
    const live = path.join(dir, 'live-sock');
    await new Promise<void>((resolve) => server.listen(live, resolve));
    const stale = path.join(dir, 'stale-sock');
    await staleSocket(stale);
    const plain = path.join(dir, 'plain-file');
    writeFileSync(plain, '');
    // [name, the sockets tried in order, running, evidence in the refusal]
    const cases: Array<[string, string[], boolean, RegExp?]> = [
      ['listening', [live], true],
      ['stale socket file', [stale], false, /stale-sock: ECONNREFUSED/],
      ['no socket file', [path.join(dir, 'missing-sock')], false, /missing-sock: ENOENT/],
      ['a plain file where the socket should be', [plain], false, /plain-file: ECONNREFUSED/],
      ['stale first, live second', [stale, live], true],
    ];
    for (const [name, sockets, running, evidence] of cases) {
      const fact = await lockManagerFact('qemu:///system', { configFile: conf, sockets: { lockd: sockets } });
      assert.is(fact.daemonRunning, running, name);
      const verdict = decideLockManager(fact, true);
      assert.is(verdict.ok, running, name);
      if (!verdict.ok && evidence) {
        assert.match(verdict.reason, new RegExp(`^virtlockd is configured in ${conf.replace(/[.]/g, '\\.')} but nothing listens on its socket \\(`), name);
        assert.match(verdict.reason, evidence, name);
      }
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
