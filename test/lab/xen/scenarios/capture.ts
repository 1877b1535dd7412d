// Captures what the real xl prints for every command VirtualMachine's xl backend runs (and the
// outputs the fake xl in test/fakes reproduces) into test/fixtures/xl/: stdout, stderr and exit
// code per command, each file headed by the Xen version and the command. Re-run with
// `npm run lab -- --xen --only xen-capture`; test/fakes/xl-fidelity.test.ts holds the fake to them.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Guest } from '../../guest';
import type { Scenario } from '../../report';
import { cleanDom0, CONFIG, domuConfig, GUEST, packDomuInitrd, waitDomuReady, waitFlags, writeConfig } from '../domu';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'xl');

interface Captured {
  rc: number;
  stdout: string;
  stderr: string;
}

async function capture(dom0: Guest, command: string): Promise<Captured> {
  const result = await dom0.ok(
    `${command} >/run/cap.out 2>/run/cap.err; rc=$?
printf '%s %s %s' "$rc" "$(base64 -w0 </run/cap.out)" "$(base64 -w0 </run/cap.err)"`,
    120_000,
  );
  const [rc, out, err] = result.split(' ');
  const decode = (text = '') => Buffer.from(text, 'base64').toString('utf8');
  return { rc: Number(rc), stdout: decode(out), stderr: decode(err) };
}

export const xenCaptureScenario: Scenario = {
  id: 'xen-capture',
  title: 'capture the real xl outputs as test fixtures (test/fixtures/xl)',
  optional: true,
  async run(lab, report) {
    const dom0 = lab.node1;
    const version = (await dom0.ok("xl info | awk '/^xen_version/ {print $3}'")).trim();
    const header = (command: string, what: string) =>
      `# Xen ${version} (Debian 12 xen-utils-4.17, dom0 under qemu TCG in the lab): ${what} of \`${command}\` (npm run lab -- --xen --only xen-capture)\n`;
    mkdirSync(FIXTURES, { recursive: true });
    const save = async (name: string, command: string, parts: Array<'stdout' | 'stderr' | 'rc'> = ['stdout', 'stderr', 'rc']): Promise<Captured> => {
      const got = await capture(dom0, command);
      const shown = command.replace(/\/run\/xl-lint\//g, '/etc/xen/');
      if (parts.includes('stdout')) writeFileSync(path.join(FIXTURES, `${name}.txt`), header(shown, 'stdout') + got.stdout);
      if (parts.includes('stderr')) writeFileSync(path.join(FIXTURES, `${name}.stderr`), header(shown, 'stderr') + got.stderr);
      if (parts.includes('rc')) writeFileSync(path.join(FIXTURES, `${name}.rc`), header(shown, 'exit code') + `${got.rc}\n`);
      report.check(true, `captured ${name}`, `exit ${got.rc}, ${got.stdout.length} bytes stdout, ${got.stderr.length} bytes stderr`);
      return got;
    };
    await cleanDom0(dom0);
    await packDomuInitrd(dom0);
    await writeConfig(dom0, domuConfig({ onPoweroff: 'preserve' }));

    await save('info', 'xl info', ['stdout', 'rc']);
    await save('list-dom0-only', 'xl list');
    await save('create', `xl create ${CONFIG}`);
    await save('create-exists', `xl create ${CONFIG}`);
    await waitDomuReady(dom0, 120);
    await waitFlags(dom0, '.b....', 60);
    await save('list', 'xl list');
    await save('list-name-blocked', `xl list ${GUEST}`);
    await save('list-verbose', 'xl list -v');
    await save('list-long', `xl list -l ${GUEST}`, ['stdout', 'rc']);
    await save('list-missing', 'xl list nosuch');
    await save('list-verbose-missing', 'xl list -v nosuch');
    await dom0.ok(`xl pause ${GUEST}`);
    await save('list-name-paused', `xl list ${GUEST}`, ['stdout']);
    await dom0.ok(`xl unpause ${GUEST}`);
    await save('trigger-power-pv', `xl trigger ${GUEST} power`);
    await save('shutdown-missing', 'xl shutdown nosuch');
    await save('destroy-missing', 'xl destroy nosuch');
    await save('shutdown', `xl shutdown ${GUEST}`);
    await waitFlags(dom0, '...s..', 60);
    await save('list-name-shutdown', `xl list ${GUEST}`, ['stdout']);
    await save('destroy', `xl destroy ${GUEST}`);
    await save('list-after-destroy', `xl list ${GUEST}`, ['stderr', 'rc']);

    await writeConfig(dom0, domuConfig({ onCrash: 'preserve' }));
    await dom0.ok(`xl create ${CONFIG}`, 120_000);
    await waitDomuReady(dom0, 120);
    await dom0.ok(`xl sysrq ${GUEST} c`);
    // a fixture named for a state must show it: nothing is saved when the guest did not crash
    if (await waitFlags(dom0, '....c.', 120)) await save('list-name-crashed', `xl list ${GUEST}`, ['stdout']);
    else report.check(false, 'the guest crashed after xl sysrq c', `xl list: ${(await dom0.sh(`xl list ${GUEST}`)).output.trim().split('\n').pop()}`);
    await cleanDom0(dom0);

    await writeConfig(dom0, domuConfig({ spin: 90 }));
    await dom0.ok(`xl create ${CONFIG}`, 120_000);
    await waitDomuReady(dom0, 120);
    if (await waitFlags(dom0, 'r.....', 60)) await save('list-name-running', `xl list ${GUEST}`, ['stdout']);
    else report.check(false, 'the busy guest shows r', `xl list: ${(await dom0.sh(`xl list ${GUEST}`)).output.trim().split('\n').pop()}`);
    await cleanDom0(dom0);

    await save('create-missing-config', 'xl create /etc/xen/nosuch.cfg');
    await writeConfig(dom0, domuConfig({ name: 'noname' }).replace(/^name = .*\n/m, ''), '/run/xl-lint/noname.cfg');
    await save('create-no-name', 'xl create /run/xl-lint/noname.cfg', ['stderr', 'rc']);
    await cleanDom0(dom0);
  },
};
