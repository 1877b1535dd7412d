// VirtualMachine backend=xl against real Xen in node1's dom0: start, monitor in every state xl
// can be made to show (blocked, running, paused, shutdown, crashed; dying if it can be caught),
// graceful stop and stop by destroy, a truthful probe with the config file gone, and ocf-tester.
import { oneLine } from '../../ocfkit';
import type { Report, Scenario } from '../../report';
import {
  agent,
  CONFIG,
  cleanDom0,
  domuConfig,
  GUEST,
  GUEST_UUID,
  packDomuInitrd,
  waitDomuReady,
  waitFlags,
  writeConfig,
  xlRow,
  type DomuOptions,
} from '../domu';

const PARAMS = { backend: 'xl', config: CONFIG, peers: 'none' };
const OCF_DEGRADED = 190;

function agentLine(run: { code: number; output: string; seconds: number }): string {
  return `${oneLine(run.output, run.code)} (${run.seconds.toFixed(1)} s)`;
}

export const xenLifecycleScenario: Scenario = {
  id: 'xen-lifecycle',
  title: 'VirtualMachine backend=xl runs, monitors and stops a real PV guest',
  async run(lab, report) {
    const dom0 = lab.node1;
    report.note(`${(await dom0.ok("xl info | grep -E '^(xen_version|xen_caps|total_memory|free_memory|nr_cpus)'")).trim().replace(/\s*\n\s*/g, '; ')}`);
    await cleanDom0(dom0);
    await packDomuInitrd(dom0);
    const fresh = async (options: DomuOptions = {}): Promise<void> => {
      await cleanDom0(dom0);
      await writeConfig(dom0, domuConfig(options));
    };
    /** a fresh guest started by the agent, its init run; false (and a FAIL saying why) otherwise */
    const started = async (what: string, options: DomuOptions = {}): Promise<boolean> => {
      await fresh(options);
      const run = await agent(dom0, 'start', PARAMS);
      const ready = run.code === 0 ? await waitDomuReady(dom0, 120) : undefined;
      if (run.code === 0 && ready !== undefined) return true;
      return report.check(
        false,
        `start for ${what}`,
        `${agentLine(run)}; init ${ready === undefined ? 'not seen' : 'ran'}; xl list: ${(await dom0.sh('xl list')).output.trim().replace(/\s*\n\s*/g, ' | ')}`,
      );
    };

    await fresh();
    const probe = await agent(dom0, 'monitor', PARAMS);
    report.check(probe.code === 7, 'monitor before start: not running (7)', agentLine(probe));
    const start = await agent(dom0, 'start', PARAMS);
    report.check(start.code === 0, 'start (xl create)', agentLine(start));
    const booted = await waitDomuReady(dom0, 120);
    report.check(booted !== undefined, "the guest's init ran (its console, logged by xenconsoled)", `${booted?.toFixed(1) ?? 'not'} s after start returned`);
    await monitorIn(report, dom0, '-b----', 0, 'blocked (idle)');
    const first = await xlRow(dom0);
    const again = await agent(dom0, 'start', PARAMS);
    const second = await xlRow(dom0);
    report.check(
      again.code === 0 && first !== undefined && second?.id === first.id,
      'start again: success, nothing created',
      `${agentLine(again)}; domain id ${first?.id} -> ${second?.id}`,
    );

    await dom0.ok(`xl pause ${GUEST}`);
    await monitorIn(report, dom0, '--p---', OCF_DEGRADED, 'paused (xl pause)');
    await dom0.ok(`xl unpause ${GUEST}`);

    // the probe when the config file cannot be read: name and uuid say which guest to look for
    await dom0.ok(`mv ${CONFIG} ${CONFIG}.away`);
    const blind = await agent(dom0, 'monitor', { ...PARAMS, name: GUEST, uuid: GUEST_UUID }, { interval: '0' });
    report.check(blind.code === 0, 'probe with the config file gone (name and uuid given): running (0)', agentLine(blind));
    const blindUuid = await agent(dom0, 'monitor', { ...PARAMS, uuid: GUEST_UUID, state_dir: '/run/ocfkit/vm-uuid-only' }, { interval: '0' });
    report.check(blindUuid.code === 0, 'probe with the config file gone, uuid only: running (0)', agentLine(blindUuid));
    await dom0.ok(`mv ${CONFIG}.away ${CONFIG}`);

    const stop = await agent(dom0, 'stop', PARAMS);
    const gone = (await xlRow(dom0)) === undefined;
    report.check(
      stop.code === 0 && gone,
      'stop (graceful: xl shutdown, the guest powers off)',
      `${agentLine(stop)}; xl list: ${gone ? 'gone' : 'still there'}`,
    );
    report.check(/shut/i.test(stop.output) && !/destroy/i.test(stop.output), 'the graceful stop did not need destroy', oneLine(stop.output, stop.code));
    const after = await agent(dom0, 'monitor', PARAMS);
    report.check(after.code === 7, 'monitor after stop: not running (7)', agentLine(after));

    await fresh();
    await agent(dom0, 'start', PARAMS);
    const destroy = await agent(dom0, 'stop', { ...PARAMS, force_stop: 'true' });
    report.check(destroy.code === 0 && (await xlRow(dom0)) === undefined, 'stop with force_stop=true (xl destroy)', agentLine(destroy));

    // crashed and kept by on_crash=preserve: sysrq "c" panics the guest kernel
    if (await started('the crash', { onCrash: 'preserve' })) {
      const sysrq = await dom0.sh(`xl sysrq ${GUEST} c`, 30_000);
      report.note(`xl sysrq ${GUEST} c: ${oneLine(sysrq.output, sysrq.code)}`);
      await monitorIn(report, dom0, '----c-', 1, 'crashed (on_crash=preserve, xl sysrq c)');
      const stopCrashed = await agent(dom0, 'stop', PARAMS);
      report.check(stopCrashed.code === 0 && (await xlRow(dom0)) === undefined, 'stop of a crashed, preserved guest', agentLine(stopCrashed));
    }

    // shut down and kept by on_poweroff=preserve: xl shows "s" until the domain is destroyed
    if (await started('the shutdown', { onPoweroff: 'preserve' })) {
      await dom0.ok(`xl shutdown ${GUEST}`);
      await monitorIn(report, dom0, '---s--', 1, 'shut down, domain kept (on_poweroff=preserve)');
      const stopShut = await agent(dom0, 'stop', PARAMS);
      report.check(stopShut.code === 0 && (await xlRow(dom0)) === undefined, 'stop of a shut-down, preserved guest: destroyed at once', agentLine(stopShut));
    }

    // a guest keeping its vCPU busy for a while: with dom0 pinned to CPU 0 it is on CPU 1 when xl looks
    if (await started('the busy guest', { spin: 90 })) {
      await monitorIn(report, dom0, 'r-----', 0, 'running (a busy guest)');
      await agent(dom0, 'stop', { ...PARAMS, force_stop: 'true' });
    }

    // dying: a domain being torn down; xl shows "d" only while Xen still frees its memory
    await started('the destroy race');
    const seen = await dom0.sh(
      `xl destroy ${GUEST} & for i in $(seq 1 200); do xl list ${GUEST} 2>/dev/null | awk 'NR>1 {print $5}'; done | sort | uniq -c; wait`,
      120_000,
    );
    report.note(`xl list during xl destroy (flags seen, count): ${seen.output.trim().replace(/\s*\n\s*/g, '; ') || 'none'}`);

    // ocf-tester: the whole action set, as resource-agents checks an agent
    await fresh();
    const tester = await dom0.sh(
      `OCF_ROOT=/usr/lib/ocf ocf-tester -n ${GUEST} -o backend=xl -o config=${CONFIG} -o peers=none ${'/usr/lib/ocf/resource.d/ocfkit/VirtualMachine'} 2>&1`,
      300_000,
    );
    report.check(tester.code === 0, 'ocf-tester', oneLine(tester.output, tester.code));
    if (tester.code !== 0) report.note(tester.output.trim().split('\n').slice(-15).join('\n       '));
    await cleanDom0(dom0);
  },
};

async function monitorIn(report: Report, dom0: Parameters<typeof agent>[0], flags: string, expected: number, what: string): Promise<void> {
  const waited = await waitFlags(dom0, flags.replace(/-/g, '.'), 60);
  const row = await xlRow(dom0);
  const run = await agent(dom0, 'monitor', PARAMS, { interval: '10000' });
  report.check(
    waited !== undefined && run.code === expected,
    `monitor, xl flags ${flags} (${what}): ${expected}`,
    `xl list: ${row ? `${row.flags} (${row.state})` : 'absent'}; agent ${agentLine(run)}`,
  );
  if (waited === undefined) report.note(`xl dmesg (last lines): ${(await dom0.sh('xl dmesg | tail -n 8')).output.trim().replace(/\n/g, ' | ')}`);
}
