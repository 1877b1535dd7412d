import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseProcDrbd } from '../../../agents/drbd/parse-proc';
import { fixture } from './fixtures';

test('8.4: connected, Unconfigured, blank line, WFConnection, StandAlone with a space protocol', () => {
  const proc = parseProcDrbd(fixture('proc-8.4.txt'));
  assert.equal(proc.version?.text, '8.4.2');
  assert.equal(
    proc.devices.map((d) => [d.minor, d.cstate]),
    [
      [0, 'Connected'],
      [2, 'Unconfigured'],
      [4, 'WFConnection'],
      [8, 'StandAlone'],
    ],
  );
  assert.equal(proc.devices[0], {
    minor: 0,
    cstate: 'Connected',
    role: 'Primary',
    peerRole: 'Secondary',
    disk: 'UpToDate',
    peerDisk: 'UpToDate',
    protocol: 'C',
  });
  assert.is(proc.devices[1]!.disk, 'Unconfigured');
  assert.is(proc.devices[3]!.protocol, undefined, 'three spaces: no protocol');
  assert.is(proc.devices[3]!.role, 'Secondary');
  assert.is(proc.devices[3]!.peerDisk, 'DUnknown');
});

test('8.4: sync and verify progress lines attach to their device', () => {
  const proc = parseProcDrbd(fixture('proc-8.4-sync.txt'));
  assert.equal(
    proc.devices.map((d) => [d.minor, d.cstate, d.progress]),
    [
      [0, 'SyncSource', "sync'ed: 31.5%"],
      [1, 'VerifyS', 'verified: 0.1%'],
      [5, 'Connected', undefined],
    ],
  );
  assert.is(proc.devices[2]!.disk, 'Diskless');
});

test('8.3 StandAlone and SyncTarget; 8.0 st: roles and resync/act_log lines', () => {
  const p83 = parseProcDrbd(fixture('proc-8.3.txt'));
  assert.is(p83.version?.major, 8);
  assert.is(p83.version?.minor, 3);
  assert.equal(
    p83.devices.map((d) => d.cstate),
    ['Connected', 'StandAlone', 'SyncTarget'],
  );
  assert.is(p83.devices[2]!.progress, "sync'ed: 55.9%");
  const p80 = parseProcDrbd(fixture('proc-8.0.txt'));
  assert.equal(
    p80.devices.map((d) => [d.cstate, d.role, d.peerRole]),
    [
      ['Connected', 'Primary', 'Secondary'],
      ['Unconfigured', 'Unknown', 'Unknown'],
    ],
  );
});

test('9: only version lines, no devices', () => {
  const proc = parseProcDrbd(fixture('proc-9.txt'));
  assert.equal(proc.version, { text: '9.2.8', major: 9, minor: 2, patch: 8 });
  assert.equal(proc.devices, []);
});

test('9.2.15+ compat 8.4 lines and unknown extra lines are tolerated', () => {
  const proc = parseProcDrbd(
    'version: 9.2.15 (api:2/proto:86-122)\nsomething new: 42\n 3: cs:StandAlone ro:Secondary/Unknown ds:UpToDate/DUnknown   r----- (compat 8.4)\n',
  );
  assert.equal(
    proc.devices.map((d) => [d.minor, d.cstate, d.role]),
    [[3, 'StandAlone', 'Secondary']],
  );
});

test('empty or missing text gives no version and no devices', () => {
  assert.equal(parseProcDrbd(''), { version: undefined, devices: [] });
});

test.run();
