// Proves the libvirt harness: a real small domain starts and is destroyed through libvirtd, and
// test-driver URIs answer like peer hosts that run (or do not run) a given domain.
import * as assert from 'uvu/assert';
import { integrationSuite } from '../support/integration';
import { defineDomain, testDriverHost, virsh, virshOk } from '../harness/libvirt';
import * as needs from '../harness/needs';

const s = integrationSuite('libvirt: a real BIOS-only domain and test-driver peer hosts', needs.libvirt);

s('a real domain starts and is destroyed', async () => {
  const domain = await defineDomain();
  assert.match(domain.name, new RegExp(`^ocfkit-test-vm-${process.pid}x`));
  assert.is(await domain.state(), 'shut off');
  const started = Date.now();
  await domain.start();
  assert.is(await domain.state(), 'running');
  console.log(`  domain ${domain.name} (${domain.type}) started in ${Date.now() - started} ms`);
  assert.is((await virshOk(['domuuid', domain.name])).trim(), domain.uuid);
  assert.match(await virshOk(['dumpxml', domain.name]), new RegExp(`<domain type='${domain.type}'`));
  await domain.destroy();
  assert.is(await domain.state(), 'shut off');
  await domain.undefine();
  assert.is((await virsh(['domstate', domain.name])).code, 1, 'undefined');
});

s('test-driver URIs stand in for peer hosts', async () => {
  const vm = { name: 'vm1', uuid: '6f1d4c3e-9b1a-4c55-9d7e-2b8a1f0c3d21' };
  const running = testDriverHost([{ ...vm, state: 'running' }], 'node2');
  const stopped = testDriverHost([{ ...vm, state: 'shutoff' }], 'node3');
  const without = testDriverHost([], 'node4');
  assert.match(running, /^test:\/\/\//);
  assert.is((await virshOk(['domstate', 'vm1'], running)).trim(), 'running');
  assert.is((await virshOk(['domuuid', 'vm1'], running)).trim(), vm.uuid);
  assert.is((await virshOk(['domstate', 'vm1'], stopped)).trim(), 'shut off');
  const missing = await virsh(['domstate', 'vm1'], without);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /failed to get domain 'vm1'/);
  assert.equal((await virshOk(['list', '--name'], running)).trim(), 'vm1');
});

s.run();
