// SharedVolumes under the tools that judge real agents: resource-agents' ocf-tester and
// Pacemaker's crm_resource --validate, with the fake volume tools first on PATH.
import * as assert from 'uvu/assert';
import { chmodSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ocfkitBinary, runProgram } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { binary, file, root } from '../harness/needs';
import { runWithPrivateOcfRoot } from '../support/private-ocf-root';
import { createVolumeFakes, type VolumeFakes } from '../fakes/lvm/fakes';

const tools = integrationSuite(
  'SharedVolumes under ocf-tester and crm_resource',
  [root, binary('ocf-tester'), binary('xmllint'), binary('crm_resource'), binary('unshare'), file(ocfkitBinary)],
  {
    fakes: undefined as unknown as VolumeFakes,
    agent: '',
  },
);

tools.before.each((ctx) => {
  ctx.fakes = createVolumeFakes({
    vgs: { vg_san: { lockType: 'dlm' }, vg_local: { lockType: '' }, vg_c: { lockType: 'clvm' } },
    lvs: [
      { vg: 'vg_san', lv: 'vm1' },
      { vg: 'vg_san', lv: 'vm2' },
      { vg: 'vg_c', lv: 'vm9' },
    ],
    evmsVolumes: ['san2/vm2'],
    multipathMaps: ['mpath1'],
    failures: { evms_activate: 2 },
  });
  chmodSync(ctx.fakes.dir, 0o755); // ocf-tester runs meta-data as nobody
  ctx.agent = path.join(ctx.fakes.dir, 'SharedVolumes');
  symlinkSync(ocfkitBinary, ctx.agent);
});
tools.after.each((ctx) => ctx.fakes.cleanup());

const options = (fakes: VolumeFakes, volumes: string, extra: string[] = []) =>
  [`volumes=${volumes}`, `state_dir=${fakes.dir}/run`, `dev_root=${fakes.devRoot}`, `sysfs_root=${fakes.sysfsRoot}`, 'retry_delay_ms=20', ...extra].flatMap(
    (o) => ['-o', o],
  );

tools('ocf-tester passes (lvmlockd backend)', (ctx) => {
  const r = runProgram('ocf-tester', ['-n', 'volumes', ...options(ctx.fakes, 'vg_san'), ctx.agent], { PATH: ctx.fakes.path, OCF_ROOT: '/usr/lib/ocf' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /passed all tests/);
  assert.ok(ctx.fakes.calls().includes('vgchange --lock-stop vg_san'), 'the real actions ran against the fakes');
});

tools('ocf-tester passes (evms backend with evms_activate failing twice)', (ctx) => {
  const r = runProgram('ocf-tester', ['-n', 'volumes', ...options(ctx.fakes, 'san2/vm2', ['backend=evms']), ctx.agent], {
    PATH: ctx.fakes.path,
    OCF_ROOT: '/usr/lib/ocf',
  });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.ok(ctx.fakes.calls().filter((c) => c === 'evms_activate -q').length >= 3);
});

tools('ocf-tester passes (clvmd and rescan backends)', (ctx) => {
  for (const [volumes, extra] of [
    ['vg_c', ['backend=clvmd']],
    ['/dev/mapper/mpath1', ['backend=rescan', 'discovery=scsi multipath']],
  ] as const) {
    const r = runProgram('ocf-tester', ['-n', 'volumes', ...options(ctx.fakes, volumes, [...extra]), ctx.agent], {
      PATH: ctx.fakes.path,
      OCF_ROOT: '/usr/lib/ocf',
    });
    assert.is(r.status, 0, `${extra.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /passed all tests/);
  }
});

tools('ocf-tester fails when the configuration is wrong (the check can fail)', (ctx) => {
  const r = runProgram('ocf-tester', ['-n', 'volumes', ...options(ctx.fakes, 'vg_local'), ctx.agent], { PATH: ctx.fakes.path, OCF_ROOT: '/usr/lib/ocf' });
  assert.is.not(r.status, 0);
  assert.match(r.stdout + r.stderr, 'volume group vg_local has lock type none', r.stdout + r.stderr);
});

tools('crm_resource --validate: ok, wrong lock type (6), missing tools (5)', (ctx) => {
  const providers = [{ provider: 'ocfkit', agents: { SharedVolumes: ocfkitBinary } }];
  const validate = (volumes: string, env: NodeJS.ProcessEnv) =>
    runWithPrivateOcfRoot(
      providers,
      [
        'crm_resource',
        '--validate',
        '--class',
        'ocf',
        '--provider',
        'ocfkit',
        '--agent',
        'SharedVolumes',
        '--option',
        `volumes=${volumes}`,
        '--option',
        `state_dir=${ctx.fakes.dir}/run`,
      ],
      env,
    );
  const ok = validate('vg_san', { PATH: ctx.fakes.path });
  assert.is(ok.status, 0, ok.stdout + ok.stderr);
  const wrong = validate('vg_local', { PATH: ctx.fakes.path });
  assert.is(wrong.status, 6, wrong.stdout + wrong.stderr);
  assert.match(wrong.stdout + wrong.stderr, 'volume group vg_local has lock type none');
  const missing = validate('vg_san', { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' });
  assert.is(missing.status, 5, missing.stdout + missing.stderr);
  assert.match(missing.stdout + missing.stderr, 'lvmlockctl');
});

tools.run();
