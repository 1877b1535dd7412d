// A real one-node Pacemaker/Corosync cluster for integration suites, shared by every suite of one
// test run: started lazily by the first getCluster(), stopped by onRunEnd.
//
// Corosync (knet on 127.0.0.1, no crypto) and pacemakerd run in a private mount namespace in which
// /etc/corosync, /var/lib/corosync, /var/lib/pacemaker and /var/log/pacemaker are private
// directories of this run and /usr/lib/ocf/resource.d is a private tree: the machine's providers
// bind-mounted read-only plus `ocfkit` (symlinks to dist/ocfkit named after each agent) and
// `ocfkit-test` (the test-only TestResource). Nothing on the machine is written or left behind.
// Agents run by the cluster find <dir>/bin first on PATH: addFakeBin() links fake tools there.
// The CIB starts with stonith-enabled=false and dc-deadtime=2s (the node is up in ~5 s, not ~25 s).
import { closeSync, chmodSync, chownSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onRunEnd } from '../support/integration';
import { buildTestAgent } from '../support/test-agent-build';
import { CLUSTER_LOCK, foreignCluster, reapStaleHarnessCluster, removeOwner, writeOwner } from './cluster-guard';
import { ClusterApi } from './cluster-api';
import { acquireLock } from './lock';
import { createMountNamespace, type MountNamespace } from './mountns';
import { isAlive, processId, run, runOk, stopProcess, waitFor, type ProcessId } from './proc';
import { freshDir } from './tmp';

const NODE = 'node1';
const OCF_ROOT = '/usr/lib/ocf';
const TEST_PROVIDER = 'ocfkit-test';
export const TEST_AGENT = `ocf:${TEST_PROVIDER}:TestResource`;
const LOCK_WAIT_MS = 15 * 60_000;

let starting: Promise<ClusterApi> | undefined;

/** The run's cluster, started on first use (waits for other test runs' clusters first). */
export function getCluster(): Promise<ClusterApi> {
  if (!starting) {
    starting = startCluster();
    starting.catch(() => undefined);
  }
  return starting;
}

function corosyncConf(logDir: string): string {
  return `# test cluster of the ocfkit test harness (private mount namespace)
totem {
	version: 2
	cluster_name: ocfkit-test
	transport: knet
	crypto_cipher: none
	crypto_hash: none
	token: 1000
}
logging {
	to_stderr: no
	to_syslog: no
	to_logfile: yes
	logfile: ${logDir}/corosync.log
	timestamp: on
}
quorum {
	provider: corosync_votequorum
}
nodelist {
	node {
		name: ${NODE}
		nodeid: 1
		ring0_addr: 127.0.0.1
	}
}
`;
}

async function initialCib(file: string): Promise<void> {
  const empty = await runOk(['cibadmin', '--empty']);
  writeFileSync(file, empty.stdout);
  const env = { ...process.env, CIB_file: file };
  for (const [name, value] of [
    ['stonith-enabled', 'false'],
    ['dc-deadtime', '2s'],
    ['cluster-recheck-interval', '1min'],
  ]) {
    await runOk(['crm_attribute', '-t', 'crm_config', '-n', name!, '-v', value!], { env });
  }
}

function makeDir(dir: string, owner?: { uid: number; gid: number }, mode = 0o750): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, mode);
  if (owner) chownSync(dir, owner.uid, owner.gid);
}

async function hacluster(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await runOk(['id', '-u', 'hacluster'])).stdout.trim());
  const gid = Number((await runOk(['getent', 'group', 'haclient'])).stdout.split(':')[2]);
  return { uid, gid };
}

async function startCluster(): Promise<ClusterApi> {
  const lock = await acquireLock(CLUSTER_LOCK, { mode: 'exclusive', timeoutMs: LOCK_WAIT_MS, what: 'the machine-wide test cluster lock' });
  let ns: MountNamespace | undefined;
  const daemons: Array<ProcessId & { what: string }> = [];
  const stop = async () => {
    for (const daemon of daemons) await stopProcess(daemon, daemon.what, daemon.what === 'pacemakerd' ? 120_000 : 30_000).catch((e) => console.error(e));
    await ns?.stop().catch((e) => console.error(e));
    removeOwner();
    await lock!.release();
  };
  try {
    await reapStaleHarnessCluster();
    const foreign = foreignCluster();
    if (foreign) throw new Error(foreign);
    const started = Date.now();
    const dir = freshDir('cluster');
    const ha = await hacluster();
    const d = (name: string) => path.join(dir, name);
    for (const name of ['etc-corosync', 'etc-corosync/uidgid.d', 'var-lib-corosync', 'log', 'bin']) makeDir(d(name), undefined, 0o755);
    makeDir(d('pacemaker'), ha, 0o750);
    for (const name of ['cib', 'pengine', 'blackbox', 'cores']) makeDir(d(`pacemaker/${name}`), ha, 0o750);
    makeDir(d('log-pacemaker'), ha, 0o770);
    makeDir(d('log-pacemaker/bundles'), ha, 0o770);
    writeFileSync(d('etc-corosync/corosync.conf'), corosyncConf(d('log')));
    await initialCib(d('pacemaker/cib/cib.xml'));
    chownSync(d('pacemaker/cib/cib.xml'), ha.uid, ha.gid);
    chmodSync(d('pacemaker/cib/cib.xml'), 0o600);
    const ocf = d('resource.d');
    makeDir(ocf, undefined, 0o755);
    const machineProviders = existsSync(`${OCF_ROOT}/resource.d`)
      ? readdirSync(`${OCF_ROOT}/resource.d`).filter((p) => p !== 'ocfkit' && p !== TEST_PROVIDER)
      : [];
    for (const provider of [...machineProviders, 'ocfkit', TEST_PROVIDER]) makeDir(path.join(ocf, provider), undefined, 0o755);

    ns = await createMountNamespace();
    daemons.push({ ...ns.holder, what: 'mount namespace holder' });
    for (const provider of machineProviders) await ns.bind(`${OCF_ROOT}/resource.d/${provider}`, path.join(ocf, provider), { readOnly: true });
    await ns.bind(d('etc-corosync'), '/etc/corosync');
    await ns.bind(d('var-lib-corosync'), '/var/lib/corosync');
    await ns.bind(d('pacemaker'), '/var/lib/pacemaker');
    await ns.bind(d('log-pacemaker'), '/var/log/pacemaker');
    await ns.bind(ocf, `${OCF_ROOT}/resource.d`);

    const api = new ClusterApi(ns, ocf, dir);
    api.installTestAgent(buildTestAgent());
    await api.installOcfkitAgents();

    const out = (name: string) => openSync(d(`log/${name}.out`), 'a');
    const corosyncOut = out('corosync');
    const corosync = ns.spawnDaemon(['corosync', '-f'], { stdio: ['ignore', corosyncOut, corosyncOut] });
    closeSync(corosyncOut);
    daemons.unshift({ ...corosync, what: 'corosync' });
    writeOwner({ owner: processId(process.pid)!, daemons });
    await waitFor(
      'corosync to answer (corosync-cfgtool -s)',
      async () => {
        if (!isAlive(corosync)) throw new Error(`corosync exited; see ${d('log')}/corosync.log`);
        return (await run(['corosync-cfgtool', '-s'], { timeoutMs: 5000 })).code === 0;
      },
      { timeoutMs: 30_000 },
    );

    const pacemakerOut = out('pacemakerd');
    const pacemakerd = ns.spawnDaemon(['pacemakerd'], {
      stdio: ['ignore', pacemakerOut, pacemakerOut],
      env: {
        ...process.env,
        PATH: `${d('bin')}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
        PCMK_logfile: d('log-pacemaker/pacemaker.log'),
        PCMK_debug: 'no',
      },
    });
    closeSync(pacemakerOut);
    daemons.unshift({ ...pacemakerd, what: 'pacemakerd' });
    writeOwner({ owner: processId(process.pid)!, daemons });
    let last = '';
    await waitFor(
      `node ${NODE} to be online with quorum`,
      async () => {
        if (!isAlive(pacemakerd)) throw new Error(`pacemakerd exited; see ${d('log-pacemaker')}/pacemaker.log`);
        const state = await api.state();
        last = `dc=${state.dc} quorate=${state.quorate} online=${state.onlineNodes.join(',')}`;
        return state.dc === NODE && state.quorate && state.onlineNodes.includes(NODE);
      },
      { timeoutMs: 120_000, intervalMs: 500, lastSeen: () => last },
    );
    console.log(`harness: one-node cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s (state under ${dir})`);
    onRunEnd(async () => {
      const stopping = Date.now();
      await stop();
      rmSync(ocf, { recursive: true, force: true });
      console.log(`harness: cluster stopped in ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
    });
    return api;
  } catch (error) {
    await stop();
    throw error;
  }
}
