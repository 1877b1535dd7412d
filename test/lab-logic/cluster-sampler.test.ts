// The cluster lab's sampler judges, from each node's process table and libvirt's recorded state,
// whether a test guest runs once, is being handed over by a live migration, or runs twice. The
// judgement is what the lab's "double runs: 0" rests on, so it is tested here on sampler lines.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { judge, parseSample } from '../lab/cluster/sampler';

const test = suite('cluster lab sampler: sample lines and the double-run verdict');

test('parseSample reads the node and each qemu process with its libvirt state', () => {
  assert.equal(parseSample('@@SAMPLE node1 vm1:1234:running:booted'), { node: 'node1', processes: [{ guest: 'vm1', pid: 1234, state: 'running/booted' }] });
  assert.equal(parseSample('@@SAMPLE node2'), { node: 'node2', processes: [] });
  // no status file yet (libvirt still starting it): state unknown, still a process
  assert.equal(parseSample('@@SAMPLE node2 vm1:77:unknown:')?.processes, [{ guest: 'vm1', pid: 77, state: 'unknown' }]);
  // a kernel message printed into the middle of the line: not a sample
  assert.is(parseSample('@@SAMPLE node1 vm1:12[  33.1] drbd r0: conn( ...'), undefined);
});

const p = (state: string): { guest: string; pid: number; state: string } => ({ guest: 'vm1', pid: 1, state });

test('judge: one node, nowhere, handoff while one side is paused, double run otherwise', () => {
  const table: [string, Parameters<typeof judge>[1], ReturnType<typeof judge>][] = [
    ['nowhere', [[], []], 'none'],
    ['on node1', [[p('running/booted')], []], 'single'],
    ['migration: target waits for the stream', [[p('running/booted')], [p('paused/migration')]], 'handoff'],
    ['migration: source paused at switchover, target resumed', [[p('paused/migration')], [p('running/migrated')]], 'handoff'],
    ['both running', [[p('running/booted')], [p('running/booted')]], 'double'],
    ['both processes, one state not known yet', [[p('running/booted')], [p('unknown')]], 'double'],
    ['node2 has not reported lately, node1 runs it', [[p('running/booted')], undefined], 'unknown'],
    ['other guests do not count', [[{ guest: 'vm2', pid: 2, state: 'running/booted' }], [p('running/booted')]], 'single'],
  ];
  for (const [what, samples, verdict] of table) assert.is(judge('vm1', samples), verdict, what);
});

test.run();
