// Fake DRBD userland (TEST CODE, never shipped): a state machine for DRBD 8.4 and 9 kept in
// $OCFKIT_FAKE_DRBD_DIR, driven by the fake drbdadm, drbdsetup, dmesg and fake-drbd executables in
// this directory. See the README comment at the top of ./fake-drbd for the interface.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

function dir() {
  const d = process.env.OCFKIT_FAKE_DRBD_DIR;
  if (!d) {
    process.stderr.write('fake drbd: OCFKIT_FAKE_DRBD_DIR is not set\n');
    process.exit(20);
  }
  return d;
}
const file = (name) => path.join(dir(), name);

function lock() {
  const lockDir = file('lock');
  const until = Date.now() + 10000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST' || Date.now() > until) throw e;
      const stat = fs.statSync(lockDir, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 5000) fs.rmSync(lockDir, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function load() {
  return JSON.parse(fs.readFileSync(file('state.json'), 'utf8'));
}

function save(state) {
  const tmp = file(`.state.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(state, null, 1));
  fs.renameSync(tmp, file('state.json'));
  writeProc(state);
}

function versionParts(state) {
  return state.version.split('.').map(Number);
}
const is9 = (state) => versionParts(state)[0] >= 9;
// 9.0.16 and later keep retrying when the local address is missing instead of going StandAlone
const retriesMissingAddress = (state) => {
  const [a, b, c] = versionParts(state);
  return a > 9 || (a === 9 && (b > 0 || c >= 16));
};

function kernelLog(state, lines) {
  const t = ((Date.now() - state.bootedAt) / 1000).toFixed(6).padStart(12);
  fs.appendFileSync(file('kmsg'), lines.map((l) => `[${t}] ${l}\n`).join(''));
}

function connPrefix(state, res, peer) {
  return is9(state) ? `drbd ${res} ${peer}:` : `d-con ${res}:`;
}
function devPrefix(state, res, vol, peer) {
  return is9(state) ? `drbd ${res}/${vol.volume} drbd${vol.minor} ${peer}:` : `block drbd${vol.minor}:`;
}

let ipCache;
function localIps() {
  if (ipCache) return ipCache;
  const r = spawnSync('ip', ['-j', 'addr', 'show'], { encoding: 'utf8' });
  try {
    ipCache = JSON.parse(r.stdout || '[]').flatMap((i) => (i.addr_info || []).map((a) => a.local));
  } catch {
    ipCache = [];
  }
  return ipCache;
}

function hostOf(addr) {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(addr);
  return m ? m[1].split('%')[0] : addr;
}

function networkDown(state, conn) {
  if (state.netDown) return true;
  if (state.checkIp && !localIps().includes(hostOf(conn.local))) return true;
  return false;
}

const BOUND = new Set(['Connected', 'WFConnection', 'Connecting', 'WFReportParams', 'Unconnected']);

/** Advances time: the network state applies, pending connects complete or drop (split brain). */
function tick(state) {
  for (const [res, r] of Object.entries(state.resources)) {
    if (!r.up) continue;
    for (const [peer, c] of Object.entries(r.connections)) {
      const cp = connPrefix(state, res, peer);
      if (BOUND.has(c.state) && networkDown(state, c)) {
        if (is9(state) && retriesMissingAddress(state)) {
          if (c.state !== 'Connecting') {
            kernelLog(state, [
              `${cp} conn( ${c.state} -> Connecting ) peer( ${c.peerRole} -> Unknown )`,
              `${cp} Configured local address not found, retrying every 10 sec, err=-99`,
            ]);
            Object.assign(c, { state: 'Connecting', peerRole: 'Unknown', since: Date.now() });
          }
          continue;
        }
        const waitState = is9(state) ? 'Connecting' : 'WFConnection';
        const lines = [];
        if (c.state === 'Connected')
          lines.push(
            `${cp} PingAck did not arrive in time.`,
            `${cp} peer( ${c.peerRole} -> Unknown ) conn( Connected -> NetworkFailure ) pdsk( ${c.peerDisk} -> DUnknown )`,
            `${cp} conn( NetworkFailure -> Unconnected )`,
            `${cp} conn( Unconnected -> ${waitState} )`,
          );
        lines.push(
          `${cp} bind before connect failed, err = -99`,
          `${cp} Discarding network configuration.`,
          `${cp} conn( ${waitState} -> Disconnecting )`,
          `${cp} Connection closed`,
          `${cp} conn( Disconnecting -> StandAlone )`,
        );
        kernelLog(state, lines);
        Object.assign(c, { state: 'StandAlone', peerRole: 'Unknown', peerDisk: 'DUnknown', since: Date.now() });
        continue;
      }
      if (
        (c.state === 'WFConnection' || c.state === 'Connecting') &&
        !networkDown(state, c) &&
        !c.peerDown &&
        Date.now() - (c.since || 0) >= (state.connectDelayMs || 0) &&
        c.pendingTick !== process.pid
      ) {
        const vol = r.volumes[0];
        if (c.splitBrain) {
          kernelLog(state, [
            is9(state)
              ? `${cp} Handshake to peer ${c.nodeId} successful: Agreed network protocol version 122`
              : `${cp} Handshake successful: Agreed network protocol version 101`,
            `${devPrefix(state, res, vol, peer)} Split-Brain detected but unresolved, dropping connection!`,
            `${devPrefix(state, res, vol, peer)} helper command: /sbin/drbdadm split-brain ${is9(state) ? res : `minor-${vol.minor}`}`,
          ]);
          const code = callHandler(state, res, peer, c, vol);
          kernelLog(state, [
            `${devPrefix(state, res, vol, peer)} helper command: /sbin/drbdadm split-brain exit code ${code} (0x${(code << 8).toString(16)})`,
            `${cp} conn( ${is9(state) ? 'Connected' : 'WFReportParams'} -> Disconnecting )`,
            `${cp} conn( Disconnecting -> StandAlone )`,
          ]);
          Object.assign(c, { state: 'StandAlone', peerRole: 'Unknown', peerDisk: 'DUnknown', since: Date.now() });
        } else {
          const from = is9(state) ? 'Connecting' : 'WFReportParams';
          kernelLog(state, [
            is9(state)
              ? `${cp} Handshake to peer ${c.nodeId} successful: Agreed network protocol version 122`
              : `${cp} Handshake successful: Agreed network protocol version 101`,
            `${is9(state) ? cp : devPrefix(state, res, vol, peer)} conn( ${from} -> Connected ) peer( Unknown -> ${c.remoteRole || 'Secondary'} ) pdsk( DUnknown -> UpToDate )`,
          ]);
          Object.assign(c, { state: 'Connected', peerRole: c.remoteRole || 'Secondary', peerDisk: 'UpToDate', since: Date.now() });
        }
      }
    }
  }
}

function callHandler(state, res, peer, c, vol) {
  fs.appendFileSync(file('handler-calls.log'), `split-brain ${res} ${peer}\n`);
  const command = state.handlers && state.handlers['split-brain'];
  if (!command) return 0;
  // what drbdadm hands the handler (test/fixtures/drbd/handler-env-*.txt): 8.4 names the peer
  // in DRBD_PEER, 9 gives the peer's node id and every node's name
  const env = {
    ...process.env,
    DRBD_RESOURCE: res,
    DRBD_MINOR: String(vol.minor),
    DRBD_VOLUME: String(vol.volume),
    DRBD_PEER_ADDRESS: hostOf(c.remote),
    DRBD_PEER_AF: c.family || 'ipv4',
    DRBD_CONF: '/etc/drbd.conf',
    DRBD_LL_DISK: `/dev/vg0/${res}-${vol.volume}`,
  };
  if (is9(state)) {
    env.DRBD_PEER_NODE_ID = String(c.nodeId);
    env.DRBD_MY_NODE_ID = String(state.nodeId ?? 0);
    env[`DRBD_NODE_ID_${state.nodeId ?? 0}`] = state.hostname;
    for (const [name, other] of Object.entries(state.resources[res].connections)) env[`DRBD_NODE_ID_${other.nodeId}`] = name;
  } else {
    env.DRBD_PEER = peer;
    env.DRBD_PEERS = peer;
  }
  const r = spawnSync('/bin/sh', ['-c', command], { env, encoding: 'utf8' });
  fs.appendFileSync(file('handler-calls.log'), `exit ${r.status} ${r.stdout || ''}${r.stderr || ''}\n`);
  return r.status ?? 1;
}

function volumesByMinor(state) {
  const out = [];
  for (const [res, r] of Object.entries(state.resources)) for (const v of r.volumes) out.push({ res, r, v });
  return out.sort((a, b) => a.v.minor - b.v.minor);
}

function writeProc(state) {
  const lines = [];
  if (is9(state)) {
    lines.push(
      `version: ${state.version} (api:2/proto:86-122)`,
      'GIT-hash: 0000000000000000000000000000000000000000 build by fake@ocfkit, 2026-01-01 00:00:00',
      `Transports (api:21): tcp (${state.version})`,
    );
  } else {
    lines.push(`version: ${state.version} (api:1/proto:86-101)`, 'srcversion: 0123456789ABCDEF0123456 ');
    let previous = -1;
    for (const { r, v } of volumesByMinor(state)) {
      if (previous >= 0 && v.minor > previous + 1) lines.push('');
      previous = v.minor;
      if (!r.up) {
        lines.push(`${String(v.minor).padStart(2)}: cs:Unconfigured`);
        continue;
      }
      const c = Object.values(r.connections)[0];
      const proto = c.state === 'StandAlone' ? ' ' : 'C';
      lines.push(`${String(v.minor).padStart(2)}: cs:${c.state} ro:${r.role}/${c.peerRole} ds:${v.disk}/${c.peerDisk} ${proto} r-----`);
      lines.push('    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0');
    }
  }
  fs.writeFileSync(file('proc_drbd'), lines.join('\n') + '\n');
}

// dump-xml as drbd-utils 9.22 prints it (test/fixtures/drbd/dump-xml-*.xml, checked by
// test/fakes/drbd/fake-drbd.test.ts): 4-space indents, every host with its volumes and address,
// 9 adds one <connection> per peer; no node ids, no <common> when the configuration has none.
function addrXml(addr, family) {
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(addr);
  return `<address family="${family || 'ipv4'}" port="${m[2]}">${m[1]}</address>`;
}

function dumpXml(state, only) {
  const out = ['<config file="/etc/drbd.conf">'];
  for (const [res, r] of Object.entries(state.resources)) {
    if (only && res !== only) continue;
    out.push(`    <resource name="${res}" conf-file-line="/etc/drbd.d/${res}.res:1">`);
    const first = Object.values(r.connections)[0];
    const hosts = [[state.hostname, first?.local, first?.family]];
    for (const [peer, c] of Object.entries(r.connections)) hosts.push([peer, c.remote, c.family]);
    for (const [name, addr, family] of hosts) {
      out.push(`        <host name="${name}">`);
      for (const v of r.volumes)
        out.push(
          `            <volume vnr="${v.volume}">`,
          `                <device minor="${v.minor}">/dev/drbd${v.minor}</device>`,
          `                <disk>/dev/vg0/${res}-${v.volume}</disk>`,
          '                <meta-disk>internal</meta-disk>',
          '            </volume>',
        );
      if (addr) out.push(`            ${addrXml(addr, family)}`);
      out.push('        </host>');
    }
    if (is9(state)) {
      for (const [peer, c] of Object.entries(r.connections)) {
        out.push(
          '        <connection>',
          `            <host name="${state.hostname}">${addrXml(c.local, c.family)}</host>`,
          `            <host name="${peer}">${addrXml(c.remote, c.family)}</host>`,
          '        </connection>',
        );
      }
    }
    out.push('    </resource>');
  }
  out.push('</config>');
  return out.join('\n') + '\n';
}

function statusJson(state) {
  return JSON.stringify(
    Object.entries(state.resources)
      .filter(([, r]) => r.up)
      .map(([res, r]) => ({
        name: res,
        'node-id': state.nodeId ?? 0,
        role: r.role,
        suspended: false,
        devices: r.volumes.map((v) => ({ volume: v.volume, minor: v.minor, 'disk-state': v.disk, client: false, open: false, quorum: true })),
        connections: Object.entries(r.connections).map(([peer, c]) => ({
          'peer-node-id': c.nodeId,
          name: peer,
          'connection-state': c.state,
          congested: false,
          'peer-role': c.peerRole,
          paths: [
            {
              this_host: { address: hostOf(c.local), port: Number(c.local.split(':').pop()), family: c.family || 'ipv4' },
              remote_host: { address: hostOf(c.remote), port: Number(c.remote.split(':').pop()), family: c.family || 'ipv4' },
              established: c.state === 'Connected',
            },
          ],
          peer_devices: r.volumes.map((v) => ({
            volume: v.volume,
            'replication-state': c.state === 'Connected' ? 'Established' : 'Off',
            'peer-disk-state': c.peerDisk,
            'peer-client': false,
            'resync-suspended': 'no',
          })),
        })),
      })),
    null,
    2,
  );
}

function events2Now(state) {
  const out = [];
  for (const [res, r] of Object.entries(state.resources)) {
    if (!r.up) continue;
    out.push(`exists resource name:${res} role:${r.role} suspended:no`);
    for (const [peer, c] of Object.entries(r.connections)) {
      // 8.4 frees the net config of a StandAlone connection: it is not listed. drbdsetup-84 prints
      // peer-node-id:0 and conn-name:peer for every 8.4 connection (events2-8.4.txt)
      if (!is9(state) && c.state === 'StandAlone') continue;
      out.push(
        is9(state)
          ? `exists connection name:${res} peer-node-id:${c.nodeId} conn-name:${peer} connection:${c.state} role:${c.peerRole}`
          : `exists connection name:${res} peer-node-id:0 conn-name:peer connection:${c.state} role:${c.peerRole}`,
      );
    }
    for (const v of r.volumes) out.push(`exists device name:${res} volume:${v.volume} minor:${v.minor} disk:${v.disk}${is9(state) ? ' client:no' : ''}`);
    if (is9(state)) {
      for (const [peer, c] of Object.entries(r.connections)) {
        out.push(
          `exists path name:${res} peer-node-id:${c.nodeId} conn-name:${peer} local:${c.family || 'ipv4'}:${c.local} peer:${c.family || 'ipv4'}:${c.remote} established:${c.state === 'Connected' ? 'yes' : 'no'}`,
        );
      }
    }
  }
  out.push('exists -');
  return out.join('\n') + '\n';
}

/** stdout without truncation: process.exit() right after process.stdout.write on a pipe loses data */
function writeOut(text) {
  const b = Buffer.from(text);
  let off = 0;
  while (off < b.length) {
    try {
      off += fs.writeSync(1, b, off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  }
}

module.exports = { writeOut, dir, file, lock, load, save, tick, is9, kernelLog, connPrefix, dumpXml, statusJson, events2Now, writeProc, hostOf };
