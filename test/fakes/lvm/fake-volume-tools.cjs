#!/usr/bin/env node
// Fake LVM, lvmlockd, EVMS, multipath and iSCSI tools for tests (device-mapper is not available on
// the test machines). One script, called as `fake-volume-tools.cjs TOOL ARGS...` by the wrappers
// that test/fakes/lvm/fakes.ts writes. State lives in $FAKE_LVM_STATE/state.json; every call is
// appended to $FAKE_LVM_STATE/calls.log. Reports are printed the way lvm2 2.03 prints
// --reportformat json (see test/fixtures/lvm/). Device nodes are plain files under state.devRoot.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const stateDir = process.env.FAKE_LVM_STATE;
if (!stateDir) {
  process.stderr.write('fake volume tools: FAKE_LVM_STATE is not set\n');
  process.exit(3);
}
const stateFile = path.join(stateDir, 'state.json');
const [tool, ...args] = process.argv.slice(2);
fs.appendFileSync(path.join(stateDir, 'calls.log'), [tool, ...args].join(' ') + '\n');
const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
const save = () => {
  const tmp = `${stateFile}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 1));
  fs.renameSync(tmp, stateFile);
};
const out = (text) => process.stdout.write(text);
const err = (text) => process.stderr.write(text);
function exit(code) {
  save();
  process.exit(code);
}

// knob: state.failures[tool] = N makes the next N calls of that tool fail
if (state.failures && state.failures[tool] > 0) {
  state.failures[tool] -= 1;
  err(`  ${tool}: injected failure (${state.failures[tool]} more to come)\n`);
  exit(tool === 'evms_activate' ? 1 : 5);
}

const devNode = (vg, lv) => path.join(state.devRoot, vg, lv);
function setActive(lv, active) {
  lv.active = active;
  const node = devNode(lv.vg, lv.lv);
  if (active) {
    fs.mkdirSync(path.dirname(node), { recursive: true });
    fs.writeFileSync(node, '');
  } else {
    fs.rmSync(node, { force: true });
    if (!lv.keepOpen) lv.open = false;
  }
}
// lv_attr positions 5 and 6 (state, device open) as lvm2 sets them for a linear LV when
// device-mapper answers (lib/metadata/lv.c, lv_attr_dup_with_info_and_seg_status: 'a' active,
// '-' not; 'o' open, '-' not). The captures (test/fixtures/lvm) ran without device-mapper and
// show X there; see test/fixtures/lvm/README.md.
const lvAttr = (lv) => `-wi-${lv.active ? 'a' : '-'}${lv.open ? 'o' : '-'}----`;
const vgAttr = (vg) => `wz--n${vg.lockType === 'clvm' ? 'c' : ['dlm', 'sanlock', 'idm'].includes(vg.lockType) ? 's' : '-'}`;

// lvm2's JSON report layout, byte for byte: two-space outer indent, four-space nesting, one row per line
function report(kind, rows, fields) {
  const lines = ['  {', '      "report": [', '          {', `              "${kind}": [`];
  rows.forEach((row, i) => {
    const cells = fields.map((f) => `"${f}":${JSON.stringify(String(row[f] ?? ''))}`).join(', ');
    lines.push(`                  {${cells}}${i < rows.length - 1 ? ',' : ''}`);
  });
  lines.push('              ]', '          }', '      ]', '  }');
  return lines.join('\n') + '\n';
}
function option(name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
function positional(skipValueOf) {
  const result = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('-')) {
      if (skipValueOf.includes(args[i])) i++;
      continue;
    }
    result.push(args[i]);
  }
  return result;
}
const lvRow = (lv) => ({
  lv_name: lv.lv,
  vg_name: lv.vg,
  lv_attr: lvAttr(lv),
  lv_size: '8.00m',
  vg_lock_type: state.vgs[lv.vg].lockType,
  lv_path: `/dev/${lv.vg}/${lv.lv}`,
});
// the field names lvm2 accepts (captured from `lvs -o help`): real lvs/vgs refuse any other name
// with exit 5, an empty report and "Unrecognised field: NAME" after the list of fields
const KNOWN_FIELDS = new Set(
  fs
    .readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'lvm', 'lvm-report-fields.txt'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#')),
);
// -o FIELDS replaces the default columns, -o +FIELDS appends to them (as lvm2 does)
function fieldsOf(defaults) {
  const o = option('-o');
  if (o === undefined) return defaults;
  return o.startsWith('+') ? [...defaults, ...o.slice(1).split(',')] : o.split(',');
}
function checkFields(fields) {
  const unknown = fields.find((f) => !KNOWN_FIELDS.has(f));
  if (unknown === undefined) return;
  out('  {\n      "report": [\n      ]\n  }\n');
  err(`  Logical Volume Fields\n  ---------------------\n   \n  Unrecognised field: ${unknown}\n`);
  exit(5);
}
const LVS_DEFAULT = [
  'lv_name',
  'vg_name',
  'lv_attr',
  'lv_size',
  'pool_lv',
  'origin',
  'data_percent',
  'metadata_percent',
  'move_pv',
  'mirror_log',
  'copy_percent',
  'convert_lv',
];
const VGS_DEFAULT = ['vg_name', 'pv_count', 'lv_count', 'snap_count', 'vg_attr', 'vg_size', 'vg_free'];

// "Discovery": VGs and LVs created elsewhere become visible only after a rescan
function reveal() {
  for (const vg of Object.keys(state.pendingVgs || {})) state.vgs[vg] = state.pendingVgs[vg];
  state.pendingVgs = {};
  state.lvs.push(...(state.pendingLvs || []).map((lv) => ({ active: false, open: false, ...lv })));
  state.pendingLvs = [];
}

function selectLvs(names) {
  let code = 0;
  const chosen = [];
  const errors = [];
  for (const name of names) {
    const [vg, lvName] = name.replace(/^\/dev\//, '').split('/');
    if (!state.vgs[vg]) {
      errors.push(`  Volume group "${vg}" not found\n  Cannot process volume group ${vg}\n`);
      code = 5;
      continue;
    }
    const matching = state.lvs.filter((lv) => lv.vg === vg && (lvName === undefined || lv.lv === lvName));
    if (lvName !== undefined && matching.length === 0) {
      errors.push(`  Failed to find logical volume "${vg}/${lvName}"\n`);
      code = 5;
    }
    for (const lv of matching) if (!chosen.includes(lv)) chosen.push(lv);
  }
  return { chosen, errors, code };
}

function activate(lvs, flag) {
  for (const lv of lvs) {
    const vg = state.vgs[lv.vg];
    if (flag === '-an' || flag === '-aln' || flag === '-n') {
      if (lv.open) {
        err(`  Logical volume ${lv.vg}/${lv.lv} in use.\n`);
        return 5;
      }
      setActive(lv, false);
      continue;
    }
    if (['dlm', 'sanlock', 'idm'].includes(vg.lockType) && !vg.lockspace) {
      err(`  Global lock failed: check that global lockspace is started\n  LV ${lv.vg}/${lv.lv} lock failed: lockspace is not started.\n`);
      return 5;
    }
    setActive(lv, true);
  }
  return 0;
}

switch (tool) {
  case 'lvs': {
    const fields = fieldsOf(LVS_DEFAULT);
    checkFields(fields);
    const names = positional(['-o', '--reportformat', '-O', '--units']);
    const { chosen, errors, code } = names.length ? selectLvs(names) : { chosen: state.lvs, errors: [], code: 0 };
    out(report('lv', chosen.map(lvRow), fields));
    err(errors.join(''));
    exit(code);
    break;
  }
  case 'vgs': {
    const fields = fieldsOf(VGS_DEFAULT);
    checkFields(fields);
    const names = positional(['-o', '--reportformat', '-O', '--units']);
    const rows = [];
    let code = 0;
    for (const name of names.length ? names : Object.keys(state.vgs)) {
      const vg = state.vgs[name];
      if (!vg) {
        err(`  Volume group "${name}" not found\n  Cannot process volume group ${name}\n`);
        code = 5;
        continue;
      }
      rows.push({
        vg_name: name,
        vg_attr: vgAttr(vg),
        vg_lock_type: vg.lockType,
        lv_count: String(state.lvs.filter((lv) => lv.vg === name).length),
        pv_count: '1',
        snap_count: '0',
        vg_size: '<1.00t',
        vg_free: '0 ',
      });
    }
    out(report('vg', rows, fields));
    exit(code);
    break;
  }
  case 'vgchange': {
    const names = positional(['--lock-type', '--locktype']);
    if (args.includes('--lock-start') || args.includes('--lock-stop')) {
      if (!state.lvmlockd) {
        err('  Using lock start and lock stop requires lvmlockd.\n');
        exit(5);
      }
      for (const name of names) {
        const vg = state.vgs[name];
        if (!vg) {
          err(`  Volume group "${name}" not found\n  Cannot process volume group ${name}\n`);
          exit(5);
        }
        if (args.includes('--lock-start')) {
          if (['dlm', 'sanlock', 'idm'].includes(vg.lockType)) vg.lockspace = true;
        } else {
          if (state.lvs.some((lv) => lv.vg === name && lv.active)) {
            err(`  LVs must be inactive before vgchange --lock-stop.\n`);
            exit(5);
          }
          vg.lockspace = false;
        }
      }
      exit(0);
    }
    const flag = args.find((a) => /^-a/.test(a) || a === '--activate');
    const { chosen, errors, code } = selectLvs(names);
    err(errors.join(''));
    if (code) exit(code);
    const rc = activate(chosen, flag);
    for (const name of names) out(`  ${state.lvs.filter((lv) => lv.vg === name && lv.active).length} logical volume(s) in volume group "${name}" now active\n`);
    exit(rc);
    break;
  }
  case 'lvchange': {
    const flag = args.find((a) => /^-a/.test(a));
    const { chosen, errors, code } = selectLvs(positional([]));
    err(errors.join(''));
    if (code) exit(code);
    exit(activate(chosen, flag));
    break;
  }
  case 'pvscan':
    reveal();
    exit(0);
    break;
  case 'multipath':
    if (args[0] !== '-r') {
      err(`fake multipath: only -r is implemented (got ${args.join(' ')})\n`);
      exit(1);
    }
    reveal();
    // knob: multipathMaps are the maps a reload creates under <devRoot>/mapper
    for (const map of state.multipathMaps || []) {
      fs.mkdirSync(path.join(state.devRoot, 'mapper'), { recursive: true });
      fs.writeFileSync(path.join(state.devRoot, 'mapper', map), '');
    }
    exit(0);
    break;
  case 'iscsiadm':
    if (!(state.iscsiSessions > 0)) {
      err('iscsiadm: No session found.\n');
      exit(21);
    }
    for (let sid = 1; sid <= state.iscsiSessions; sid++)
      out(`Rescanning session [sid: ${sid}, target: iqn.2007-09.nz.example:san.lun${sid}, portal: 192.0.2.10,3260]\n`);
    reveal();
    exit(0);
    break;
  case 'lvmlockctl':
    if (!state.lvmlockd) {
      err('Cannot connect to lvmlockd.\n');
      exit(1);
    }
    for (const [name, vg] of Object.entries(state.vgs)) if (vg.lockspace) out(`VG ${name} lock_type=${vg.lockType}\n`);
    exit(0);
    break;
  case 'evms_activate':
    for (const volume of state.evmsVolumes || []) {
      const node = path.join(state.devRoot, 'evms', volume);
      fs.mkdirSync(path.dirname(node), { recursive: true });
      fs.writeFileSync(node, '');
    }
    exit(0);
    break;
  default:
    err(`fake volume tools: unknown tool ${tool}\n`);
    exit(3);
}
