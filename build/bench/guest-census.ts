// GuestCensus monitor cost on a node with 40 running guests, side by side with one
// `virsh list --uuid --name` (runs interleaved), and `ocfkit doctor` on the one-node cluster.
// The 40 guests are libvirt's test driver (test:///file.xml with 40 running domains): no 40 real
// qemu processes fit this machine; the census and the floor read the same driver. Both run inside
// the harness cluster's mount namespace, where cibadmin and attrd_updater reach the cluster.
// Needs root, Pacemaker/Corosync, libvirt-clients and a built dist/ocfkit; takes the integration lock:
//   npm run build && flock /tmp/ocfkit-integration.lock node --import tsx build/bench/guest-census.ts [runs]
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { measureInterleaved, row } from './measure.mjs';
import { getCluster } from '../../test/harness/cluster';
import { testDriverHost } from '../../test/harness/libvirt';
import { runSuiteTeardowns } from '../../test/support/integration';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const binary = path.join(root, 'dist/ocfkit');
const runs = Number(process.argv[2] ?? 20);
if (!existsSync(binary)) throw new Error('build first: npm run build');

async function main(): Promise<void> {
  const cluster = await getCluster();
  const pid = spawnSync('pgrep', ['-xo', 'pacemakerd'], { encoding: 'utf8' }).stdout.trim();
  if (!pid) throw new Error('pacemakerd is not running');
  const inside = (argv: string[]) => ['nsenter', '-t', pid, '-m', ...argv];
  const uri = testDriverHost(
    Array.from({ length: 40 }, (_, i) => ({ name: `guest${i}`, uuid: randomUUID() })),
    'census-bench',
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-census-bench-'));
  const agent = path.join(dir, 'GuestCensus');
  symlinkSync(binary, agent);
  mkdirSync(path.join(dir, 'run', 'guest-census'), { recursive: true });
  writeFileSync(path.join(dir, 'run', 'guest-census', 'census.active'), '{}\n');
  const env = {
    ...process.env,
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'census:0',
    OCF_RESKEY_hypervisor: uri,
    OCF_RESKEY_CRM_meta_interval: '30000',
    OCF_RESKEY_CRM_meta_timeout: '30000',
    OCF_RESKEY_CRM_meta_on_node: cluster.node,
    OCFKIT_RUN_DIR: path.join(dir, 'run'),
  };
  const check = spawnSync(inside([agent, 'monitor'])[0]!, inside([agent, 'monitor']).slice(1), { env, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`census monitor exited ${check.status}: ${check.stderr}`);
  const listed = spawnSync('nsenter', ['-t', pid, '-m', 'virsh', '-c', uri, 'list', '--uuid', '--name'], { encoding: 'utf8' }).stdout.trim().split('\n').length;
  console.log(
    `GuestCensus monitor vs one virsh list, ${listed} running guests (libvirt test driver), median of ${runs} interleaved runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`,
  );
  const [census, virsh, floor] = measureInterleaved(
    [
      { argv: inside([agent, 'monitor']), env },
      { argv: inside(['virsh', '-c', uri, 'list', '--uuid', '--name']), env },
      // the single executable's own start-up, for reading the figures: the agent answering meta-data
      { argv: inside([agent, 'meta-data']), env },
    ],
    { runs },
  );
  console.log(row('census monitor (virsh list + cibadmin -Q + attrd_updater)', census));
  console.log(row('virsh list --uuid --name', virsh));
  console.log(row('GuestCensus meta-data (start-up floor)', floor));
  console.log(`ratio census / virsh list: ${(census.wallMs / virsh.wallMs).toFixed(2)} (wall)`);
  const [doctor] = measureInterleaved([{ argv: inside([binary, 'doctor', '--udev-config', '/nonexistent/ocfkit.yaml']) }], {
    runs: Math.max(3, Math.round(runs / 4)),
  });
  console.log(row('ocfkit doctor on the one-node cluster', doctor));
}

main().then(runSuiteTeardowns, async (error) => {
  console.error(error);
  await runSuiteTeardowns();
  process.exitCode = 1;
});
