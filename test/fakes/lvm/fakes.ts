// Sets up the fake volume tools for one test: a bin directory of wrappers (to put first on PATH,
// or for Pacemaker, whose PATH we do not control, with the state directory baked in), the state
// file, a fake /dev root and a fake sysfs with SCSI hosts.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A captured lvm2 fixture (test/fixtures/lvm, from capture.sh) without its "# " header lines. */
export function lvmFixture(name: string): string {
  return readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'lvm', name), 'utf8').replace(/^(#( .*)?\n)+/, '');
}

export const FAKE_TOOLS = ['lvs', 'vgs', 'vgchange', 'lvchange', 'pvscan', 'lvmlockctl', 'multipath', 'iscsiadm', 'evms_activate'] as const;

export interface FakeLv {
  vg: string;
  lv: string;
  active?: boolean;
  /** held open (a running guest); keepOpen survives deactivation attempts */
  open?: boolean;
  keepOpen?: boolean;
}
export interface FakeVg {
  lockType: '' | 'dlm' | 'sanlock' | 'idm' | 'clvm';
  lockspace?: boolean;
}
export interface FakeState {
  devRoot: string;
  lvmlockd: boolean;
  vgs: Record<string, FakeVg>;
  lvs: FakeLv[];
  pendingVgs: Record<string, FakeVg>;
  pendingLvs: FakeLv[];
  evmsVolumes: string[];
  iscsiSessions: number;
  multipathMaps: string[];
  failures: Record<string, number>;
}

export interface VolumeFakes {
  dir: string;
  binDir: string;
  stateDir: string;
  devRoot: string;
  sysfsRoot: string;
  /** PATH with the fakes first */
  path: string;
  state(): FakeState;
  update(change: (state: FakeState) => void): void;
  calls(): string[];
  clearCalls(): void;
  cleanup(): void;
}

const SCRIPT = path.join(__dirname, 'fake-volume-tools.cjs');

export function createVolumeFakes(initial: Partial<Omit<FakeState, 'devRoot'>> = {}, scsiHosts = 2): VolumeFakes {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ocfkit-volumes-${process.pid}-`));
  chmodSync(dir, 0o755);
  const binDir = path.join(dir, 'bin');
  const stateDir = path.join(dir, 'state');
  const devRoot = path.join(dir, 'dev');
  const sysfsRoot = path.join(dir, 'sys');
  for (const d of [binDir, stateDir, devRoot]) mkdirSync(d, { recursive: true });
  for (let i = 0; i < scsiHosts; i++) {
    mkdirSync(path.join(sysfsRoot, 'class', 'scsi_host', `host${i}`), { recursive: true });
    writeFileSync(path.join(sysfsRoot, 'class', 'scsi_host', `host${i}`, 'scan'), '');
  }
  for (const tool of FAKE_TOOLS) {
    const wrapper = `#!/bin/sh\nFAKE_LVM_STATE="\${FAKE_LVM_STATE:-${stateDir}}" exec "${process.execPath}" "${SCRIPT}" ${tool} "$@"\n`;
    writeFileSync(path.join(binDir, tool), wrapper, { mode: 0o755 });
  }
  const stateFile = path.join(stateDir, 'state.json');
  const state: FakeState = {
    devRoot,
    lvmlockd: true,
    vgs: {},
    lvs: [],
    pendingVgs: {},
    pendingLvs: [],
    evmsVolumes: [],
    iscsiSessions: 0,
    multipathMaps: [],
    failures: {},
    ...initial,
  };
  state.lvs = state.lvs.map((lv) => ({ active: false, open: false, ...lv }));
  writeFileSync(stateFile, JSON.stringify(state, null, 1));
  writeFileSync(path.join(stateDir, 'calls.log'), '');
  const read = (): FakeState => JSON.parse(readFileSync(stateFile, 'utf8')) as FakeState;
  return {
    dir,
    binDir,
    stateDir,
    devRoot,
    sysfsRoot,
    path: `${binDir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
    state: read,
    update(change) {
      const current = read();
      change(current);
      writeFileSync(stateFile, JSON.stringify(current, null, 1));
    },
    calls: () => readFileSync(path.join(stateDir, 'calls.log'), 'utf8').split('\n').filter(Boolean),
    clearCalls: () => writeFileSync(path.join(stateDir, 'calls.log'), ''),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
